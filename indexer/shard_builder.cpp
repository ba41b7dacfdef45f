#include "indexer/shard_builder.hpp"

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/generations.hpp"
#include "indexer/index_writer.hpp"
#include "indexer/trial_pipeline.hpp"

namespace trialsearch {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kQueueCapacity = 256;

struct ShardOutput {
  std::uint64_t written = 0, duplicates = 0;
  std::vector<std::string> segments;  ///< databases written, in order
  std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> alias_groups;
};

// No reader ever sees a segment: no fsyncs.
constexpr int kSegmentFlags = Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC;

// One shard's thread: builds the documents of its trials and writes them into its segments.
// Throws when a segment cannot be written (the pipeline then stops).
void build_one_shard(TrialPipeline& pipeline, unsigned shard, const std::string& path,
                     const ShardBuildOptions& options, ShardOutput& out) {
  Xapian::WritableDatabase db;
  std::size_t since_commit = 0, in_segment = 0;
  // Ids written by earlier segments of this run that a later copy replaces, per segment.
  std::vector<std::vector<std::string>> superseded;
  auto next_segment = [&] {
    require_free_space(path, kBuildFreeSpaceBytes);  // before each commit (generations.hpp)
    if (!out.segments.empty()) db.close();           // commits
    out.segments.push_back(fmt::format("{}-{}", path, out.segments.size()));
    superseded.emplace_back();
    db = Xapian::WritableDatabase(out.segments.back(), Xapian::DB_CREATE | kSegmentFlags);
    since_commit = in_segment = 0;
  };
  next_segment();
  DocumentBuilder builder;
  // id term -> the segment holding it, and its copy's last update and content hash
  struct Held {
    std::size_t segment;
    Xapian::Document values;  ///< the two values supersedes() compares
  };
  std::unordered_map<std::string, Held> seen;
  while (auto item = pipeline.next(shard)) {
    const Trial& t = item->trial;
    std::string why;
    auto maybe = builder.try_build(t, why);
    if (!maybe) {
      pipeline.skipped(t.origin, why);
      continue;
    }
    BuiltDocument& built = *maybe;
    if (in_segment >= options.segment_size) next_segment();
    // A shard starts empty and sees every copy of its ids: a new id is added without the
    // unique-term lookup that replace_document() makes. A copy of an id that an earlier
    // segment holds goes into this one, and is deleted from the earlier one at the end.
    const std::size_t current = out.segments.size() - 1;
    Xapian::Document values;
    values.add_value(kSlotLastUpdate, built.document.get_value(kSlotLastUpdate));
    values.add_value(kSlotContentHash, built.content_hash);
    auto [where, fresh] = seen.try_emplace(built.id_term, Held{current, values});
    bool added = true;
    if (fresh) {
      ++out.written;
      db.add_document(built.document);
    } else {
      // one trial in two inputs: the newest copy is kept, whatever the reading order
      ++out.duplicates;
      if (!supersedes(values, where->second.values)) continue;
      where->second.values = values;
      if (where->second.segment == current) {
        db.replace_document(built.id_term, built.document);
        added = false;
      } else {
        superseded[where->second.segment].push_back(built.id_term);
        where->second.segment = current;
        db.add_document(built.document);
      }
    }
    if (!built.alias_groups.empty())
      out.alias_groups.emplace_back(built.nct_id, std::move(built.alias_groups));
    for (const auto& w : built.spelling_words) db.add_spelling(w);
    if (added) ++in_segment;
    if (++since_commit >= options.commit_every) {
      require_free_space(path, kBuildFreeSpaceBytes);
      db.commit();
      since_commit = 0;
    }
  }
  require_free_space(path, kBuildFreeSpaceBytes);
  db.close();
  for (std::size_t i = 0; i < superseded.size(); ++i) {
    if (superseded[i].empty()) continue;
    Xapian::WritableDatabase earlier(out.segments[i], Xapian::DB_OPEN | kSegmentFlags);
    for (const auto& term : superseded[i]) earlier.delete_document(term);
    earlier.close();
  }
}

}  // namespace

ShardBuildResult build_shards(const std::function<void(TrialSink&)>& read,
                              const ShardBuildOptions& options,
                              const std::function<void(const Origin&, std::string_view)>& skipped) {
  const unsigned n = TrialPipeline::worker_count(options.shards);
  fs::path work = fs::path(options.output).string() + ".shards";
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  // The shards are removed however the build ends: a failed build (a full disk) must not leave
  // them taking the space until the next run.
  struct RemoveWork {
    const fs::path& path;
    ~RemoveWork() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } remove_work{work};

  std::vector<ShardOutput> outputs(n);
  TrialPipeline::Options pipeline_options;
  pipeline_options.workers = n;
  pipeline_options.route = [](const Trial& t) { return std::hash<std::string>{}(t.nct_id); };
  pipeline_options.queue_capacity = kQueueCapacity;
  pipeline_options.skipped = skipped;
  pipeline_options.on_read = options.on_read;
  TrialPipeline pipeline(std::move(pipeline_options), read, [&](unsigned shard, TrialPipeline& p) {
    build_one_shard(p, shard, (work / fmt::format("shard-{}", shard)).string(), options,
                    outputs[shard]);
  });
  try {
    pipeline.wait();
  } catch (...) {
    std::rethrow_exception(naming_full_disk(work.string()));  // before the shards are removed
  }

  ShardBuildResult result;
  result.read = pipeline.read();
  {
    Xapian::Database all;
    for (const auto& o : outputs)
      for (const auto& segment : o.segments) all.add_database(Xapian::Database(segment));
    try {
      all.compact(options.output, Xapian::DBCOMPACT_MULTIPASS);
    } catch (const Xapian::Error& e) {
      std::exception_ptr full = naming_full_disk(options.output);
      fs::remove_all(options.output, ec);
      if (full != std::current_exception()) std::rethrow_exception(full);
      throw RuntimeError(fmt::format("cannot write database {}: {}", options.output, e.get_msg()));
    }
  }
  fs::remove_all(work, ec);
  for (auto& o : outputs) {
    result.written += o.written;
    result.duplicates += o.duplicates;
    for (const auto& [id, groups] : o.alias_groups)
      for (const auto& g : groups) result.aliases.link_group(g, id);
  }
  return result;
}

}  // namespace trialsearch
