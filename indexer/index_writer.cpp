#include "indexer/index_writer.hpp"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>

#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analyzers/db_metadata.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/lexicon.hpp"
#include "indexer/change_log.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/generations.hpp"
#include "indexer/json_fields.hpp"
#include "indexer/shard_builder.hpp"
#include "indexer/source_reader.hpp"
#include "indexer/synonym_table.hpp"
#include "indexer/trial_codec.hpp"
#include "indexer/trial_pipeline.hpp"

namespace trialsearch {
namespace {

using Clock = std::chrono::steady_clock;

// An update's change log names at most this many trials per list (the counts are always whole).
constexpr std::size_t kMaxLoggedIds = 100000;

// Built documents handed to the writer in input order, so that a run is deterministic even
// when the same trial appears twice in the sources.
class OrderedResults {
 public:
  /// Documents built ahead of the writer, at most: a builder that gets further ahead waits (the
  /// one the writer needs next never does). Unbounded, builders ran thousands of documents
  /// ahead of a writer busy committing: most of an upsert's memory.
  static constexpr std::uint64_t kWindow = 256;

  void put(std::uint64_t seq, std::optional<BuiltDocument> doc) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return cancelled_ || seq < next_ + kWindow; });
    if (cancelled_) return;
    pending_.emplace(seq, std::move(doc));
    ready_.notify_all();
  }
  /// The pipeline stopped: builders waiting for room give up, and so does the writer.
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    room_.notify_all();
    ready_.notify_all();
  }
  void finish(std::uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
    ready_.notify_all();
  }
  /// The next document in order; nullopt at the end. A failed build yields an empty optional
  /// inside (the outer optional is the end marker).
  std::optional<std::optional<BuiltDocument>> next(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, wait, [&] {
      return cancelled_ || pending_.count(next_) || (total_ && next_ >= *total_);
    });
    if (cancelled_) return std::nullopt;
    if (auto it = pending_.find(next_); it != pending_.end()) {
      auto doc = std::move(it->second);
      pending_.erase(it);
      ++next_;
      room_.notify_all();
      return doc;
    }
    return std::nullopt;
  }
  /// Every document was taken, or the pipeline stopped.
  bool done() {
    std::lock_guard lock(mutex_);
    return cancelled_ || (total_ && next_ >= *total_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;
  bool cancelled_ = false;
  std::map<std::uint64_t, std::optional<BuiltDocument>> pending_;
  std::uint64_t next_ = 0;
  std::optional<std::uint64_t> total_;
};

// Counts a skipped record or input in the summary and reports it (from any thread).
void count_skip(IndexSummary& summary, std::mutex& summary_mutex, const IndexCallbacks& callbacks,
                const Origin& where, std::string_view reason) {
  {
    std::lock_guard lock(summary_mutex);
    ++summary.skipped;
    ++summary.skip_reasons[std::string(reason)];
  }
  if (callbacks.skipped) callbacks.skipped(fmt::format("skipped {}: {}", describe(where), reason));
}

// What a document adds to the writer's memory until the next commit, roughly: its record and,
// per term, the inverter's entry (term, posting, positions). Calibrated on the shared real
// records (BENCHMARKS.md, "Upsert memory").
std::uint64_t pending_bytes(const Xapian::Document& doc) {
  constexpr std::uint64_t kBytesPerTerm = 160;
  return doc.get_data().size() + kBytesPerTerm * doc.termlist_count();
}

// Opens the live database (the generation the stub names, or a flat database folder) as an
// existing glass database only: a damaged one (a stub naming a missing generation, a deleted
// table) is refused rather than created afresh, which would publish an almost empty index.
// New databases are built by build_generation, never here.
Xapian::WritableDatabase open_for_writing(const IndexOptions& options) {
  auto deadline = Clock::now() + std::chrono::duration<double>(options.wait_seconds);
  const std::string live = live_database_path(options.db_path);
  for (;;) {
    try {
      return Xapian::WritableDatabase(live, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::DatabaseLockError& e) {
      if (Clock::now() >= deadline)
        throw LockedError(fmt::format(
            "database {} is locked by another writer (lock file {}/flintlock); retry later or "
            "pass --wait SECONDS",
            options.db_path, options.db_path));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } catch (const Xapian::DatabaseError& e) {
      throw RuntimeError(fmt::format(
          "cannot open database {} for writing: {} (damaged? it is not recreated: restore a "
          "generation with `trialsearch rollback` or rebuild with --snapshot)",
          live, e.get_msg()));
    }
  }
}

void check_schema(const Xapian::WritableDatabase& db, const std::string& path) {
  std::string schema = db.get_metadata(std::string(kMetaSchema));
  if (db.get_doccount() > 0 && schema != kSchemaVersion)
    throw RuntimeError(fmt::format(
        "database {} was built with schema '{}', this trialsearch writes '{}': reindex into a new "
        "--db (or with --snapshot)",
        path, schema.empty() ? "unknown" : schema, kSchemaVersion));
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The lexicons a run imports, read before anything is written: a file that cannot be read
// fails the run with the database untouched.
struct LexiconImport {
  StoredLexicon info;
  std::vector<LexiconEntry> entries;
};

std::vector<LexiconImport> read_lexicons(const std::vector<std::string>& files) {
  std::vector<LexiconImport> out;
  for (const auto& f : files) {
    LexiconLoad load;
    try {
      load = load_lexicon(f);
    } catch (const std::exception& e) {
      throw RuntimeError(e.what());
    }
    LexiconImport import;
    import.info.name = std::filesystem::path(f).filename().string();
    import.info.file = f;
    import.info.format = load.format;
    import.info.entries = load.entries.size();
    import.info.skipped_lines = load.skipped_lines;
    import.info.imported = now_iso();
    import.entries = std::move(load.entries);
    out.push_back(std::move(import));
  }
  return out;
}

// Everything but documents: imported lexicons kept, added or removed, the synonym table derived
// from the alias evidence, and the run's metadata. The caller commits.
void finish_database(Xapian::WritableDatabase& db, const AliasGraph& graph,
                     const std::vector<std::string>& sources,
                     const std::vector<LexiconImport>& lexicons, const IndexOptions& options,
                     IndexSummary& summary) {
  for (const auto& name : options.remove_lexicons)
    if (!remove_lexicon(db, name))
      throw UsageError(fmt::format("no lexicon named '{}' in {} (see trialsearch stats)", name,
                                   options.db_path));
  for (const auto& l : lexicons) store_lexicon(db, l.info, l.entries);
  store_alias_graph(db, graph);
  AliasExpander expander(graph, lexicon_entries(db), corpus_distinct(db));
  SynonymCounts synonyms = write_alias_lists(db, expander);
  summary.synonym_keys = synonyms.keys;
  summary.largest_expansion = synonyms.largest;
  summary.alias_links = expander.accepted_links();
  summary.documents = db.get_doccount();
  JsonWriter src;
  src.begin_array();
  for (const auto& s : sources) src.value(s);
  src.end_array();
  db.set_metadata(std::string(kMetaSchema), std::string(kSchemaVersion));
  db.set_metadata(std::string(kMetaBuilt), now_iso());
  if (!sources.empty()) db.set_metadata(std::string(kMetaSources), src.str());
  for (const auto& [key, value] : options.metadata) db.set_metadata(key, value);
}

// Content hash by document id, read in one pass over the value stream.
std::vector<std::string> hashes_by_docid(const Xapian::Database& db) {
  std::vector<std::string> hashes(db.get_lastdocid() + 1);
  for (auto v = db.valuestream_begin(kSlotContentHash); v != db.valuestream_end(kSlotContentHash);
       ++v)
    hashes[v.get_docid()] = *v;
  return hashes;
}

}  // namespace

bool supersedes(const Xapian::Document& candidate, const Xapian::Document& held) {
  // sortable_serialise keeps the dates' order as strings; a record without one sorts first
  const std::string new_date = candidate.get_value(kSlotLastUpdate),
                    old_date = held.get_value(kSlotLastUpdate);
  if (new_date != old_date) return new_date > old_date;
  if (new_date.empty()) return true;  // undated: the copy read last
  return candidate.get_value(kSlotContentHash) > held.get_value(kSlotContentHash);
}

std::optional<ChangeEntry> pending_change(const Xapian::Database& db, const std::string& db_dir) {
  auto entry = change_from_json(db.get_metadata(std::string(kMetaPendingChange)));
  if (!entry || change_logged(db_dir, *entry)) return std::nullopt;
  return entry;
}

namespace {

// The overall status in a document's record (its hit parts are enough).
std::string status_of(const Xapian::Document& doc) {
  return trial_from_record(doc.get_data(), RecordParts::Hit).overall_status;
}

// What a snapshot changes: trials only in `after` are added, only in `before` removed; trials in
// both with another content hash are replaced (and their status compared).
void diff_snapshot(const Xapian::Database& before, const Xapian::Database& after,
                   IndexSummary& summary, ChangeEntry& change) {
  auto old_hashes = hashes_by_docid(before);
  auto new_hashes = hashes_by_docid(after);
  auto docid_of = [](const Xapian::Database& db, const std::string& term) {
    return *db.postlist_begin(term);
  };
  auto o = before.allterms_begin("Q"), o_end = before.allterms_end("Q");
  auto n = after.allterms_begin("Q"), n_end = after.allterms_end("Q");
  while (o != o_end || n != n_end) {
    if (n == n_end || (o != o_end && *o < *n)) {
      change.removed.push_back(nct_id_of_term(*o));
      ++o;
    } else if (o == o_end || *n < *o) {
      change.added.push_back(nct_id_of_term(*n));
      ++n;
    } else {
      Xapian::docid old_id = docid_of(before, *o), new_id = docid_of(after, *n);
      if (old_hashes[old_id] == new_hashes[new_id]) {
        ++summary.unchanged;
      } else {
        ++summary.replaced;
        std::string from = status_of(before.get_document(old_id)),
                    to = status_of(after.get_document(new_id));
        if (from != to) change.status_changes.push_back({nct_id_of_term(*n), from, to});
      }
      ++o;
      ++n;
    }
  }
  summary.added = change.added.size();
  summary.removed = change.removed.size();
}

// A new generation is built on every core (build_shards) into DIR/gen-N.building, finished,
// compared with the live generation (if any), renamed to DIR/gen-N and published: readers
// switch with one rename() and never see it half built. A build that fails, or a snapshot
// that could not read all of its inputs, leaves the live generation untouched.
IndexSummary build_generation(const std::vector<std::string>& sources,
                              const std::vector<LexiconImport>& lexicons,
                              const IndexOptions& options, const IndexCallbacks& callbacks) {
  namespace fs = std::filesystem;
  const auto start = Clock::now();
  const std::string& db_dir = options.db_path;
  const auto live = live_generation(db_dir);
  const std::string name = next_generation(db_dir);
  const std::string final_path = (fs::path(db_dir) / name).string();
  IndexSummary summary;
  summary.generation = name;
  std::mutex summary_mutex;
  ShardBuildOptions shard_options;
  shard_options.output = final_path + ".building";
  shard_options.shards = options.threads;
  std::atomic<std::uint64_t> read{0}, consumed{0};
  const std::uint64_t total_bytes = callbacks.progress ? source_bytes(sources) : 0;
  auto last = Clock::now();
  shard_options.on_read = [&] {
    ++read;
    if (!callbacks.progress || Clock::now() - last < std::chrono::milliseconds(500)) return;
    last = Clock::now();
    callbacks.progress({read.load(), std::chrono::duration<double>(last - start).count(),
                        consumed.load(), total_bytes});
  };
  ReadCounts counts;
  std::error_code ec;
  prune_generations(db_dir, options.keep);  // a killed build's leftovers
  ChangeEntry change;
  change.mode = live ? "snapshot" : "initial";
  change.generation = name;
  try {
    ShardBuildResult built = build_shards(
        [&](TrialSink& sink) {
          counts =
              options.read ? options.read(sink, &consumed) : read_sources(sources, sink, &consumed);
        },
        shard_options,
        [&](const Origin& where, std::string_view reason) {
          count_skip(summary, summary_mutex, callbacks, where, reason);
        });
    summary.read = built.read;
    summary.inputs = counts.inputs;
    summary.input_errors = counts.input_errors;
    summary.bytes = counts.bytes;
    Xapian::WritableDatabase db(shard_options.output, Xapian::DB_OPEN);
    if (live) {
      if (counts.input_errors > 0)
        throw RuntimeError(fmt::format(
            "snapshot not published: {} input{} could not be read whole (see the messages above), "
            "so trials missing from it would be removed; the live generation {} is unchanged",
            counts.input_errors, counts.input_errors == 1 ? "" : "s", *live));
      Xapian::Database before((fs::path(db_dir) / *live).string());
      diff_snapshot(before, db, summary, change);
      const double share = before.get_doccount()
                               ? static_cast<double>(summary.removed) / before.get_doccount()
                               : 0.0;
      if (share > options.max_removed_share)
        throw RuntimeError(fmt::format(
            "snapshot not published: it would remove {} of {} trials ({:.1f}%, more than "
            "--max-removed {:.0f}%): an incomplete download? The live generation {} is "
            "unchanged",
            summary.removed, before.get_doccount(), 100 * share, 100 * options.max_removed_share,
            *live));
    } else {
      summary.added = built.written;
      summary.duplicates = built.duplicates;
    }
    // Imported lexicons are the user's, not the sources': the new generation keeps them.
    if (live) copy_lexicons(Xapian::Database((fs::path(db_dir) / *live).string()), db);
    finish_database(db, built.aliases, sources, lexicons, options, summary);
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    db.set_metadata(std::string(kMetaLastRun), summary_to_json(summary));
    db.commit();
    db.close();
    fs::rename(shard_options.output, final_path);
  } catch (...) {
    std::exception_ptr error = naming_full_disk(db_dir);  // before removing frees the space
    fs::remove_all(shard_options.output, ec);
    fs::remove_all(shard_options.output + ".shards", ec);
    std::rethrow_exception(error);
  }
  // A killed upsert's trials are in the live generation, so the snapshot does not list them as
  // added: its entry is logged first (once: a logged entry is not pending any more).
  if (live) {
    if (auto pending =
            pending_change(Xapian::Database((fs::path(db_dir) / *live).string()), db_dir))
      append_change(db_dir, *pending);
  }
  publish_generation(db_dir, name);
  change.time = now_iso();
  change.documents = summary.documents;
  change.added_count = summary.added;
  change.removed_count = summary.removed;
  change.replaced_count = summary.replaced;
  append_change(db_dir, change);
  summary.status_changes = change.status_changes.size();
  summary.pruned = prune_generations(db_dir, options.keep);
  if (callbacks.progress)
    callbacks.progress({summary.read, summary.seconds, consumed.load(), total_bytes});
  return summary;
}

// A trial of this run: whether it was in the database before, with which content, and the
// content it has now.
struct RunTrial {
  bool existed = false;
  std::string start_hash, hash;
};

enum class Applied : bool { Unchanged, Written };

// One built document into the live database: added; or replacing the copy indexed when its
// content differs and it is not older (the status change logged, the old copy's alias links
// dropped); else nothing (Unchanged). `seen` is the trial's entry for this run (`first_copy`:
// just made), `change` what the change log will say. A written document's alias links go
// into `graph`, its words into the spelling table.
Applied apply_document(Xapian::WritableDatabase& db, BuiltDocument& built, RunTrial& seen,
                       bool first_copy, AliasGraph& graph, ChangeEntry& change) {
  Xapian::PostingIterator p = db.postlist_begin(built.id_term);
  if (p != db.postlist_end(built.id_term)) {
    Xapian::docid id = *p;
    Xapian::Document old = db.get_document(id);
    const std::string old_hash = old.get_value(kSlotContentHash);
    if (first_copy) {
      seen.existed = true;
      seen.start_hash = seen.hash = old_hash;
    }
    if (old_hash == built.content_hash || !supersedes(built.document, old))
      return Applied::Unchanged;
    if (seen.existed && seen.hash == seen.start_hash) ++change.replaced_count;
    std::string old_status = status_of(old);
    if (old_status != built.status && change.status_changes.size() < kMaxLoggedIds)
      change.status_changes.push_back({built.nct_id, old_status, built.status});
    db.replace_document(id, built.document);
    graph.remove_provenance(built.nct_id);
  } else {
    db.add_document(built.document);
    ++change.added_count;
    if (change.added.size() < kMaxLoggedIds) change.added.push_back(built.nct_id);
  }
  seen.hash = built.content_hash;
  for (const auto& g : built.alias_groups) graph.link_group(g, built.nct_id);
  for (const auto& w : built.spelling_words) db.add_spelling(w);
  return Applied::Written;
}

// The pipeline's work for an upsert: each builder builds the trials it takes and hands the
// documents (nullopt for a trial that cannot be indexed, reported) to the writer, in order.
TrialPipeline::Work build_into(OrderedResults& results) {
  return [&results](unsigned worker, TrialPipeline& p) {
    DocumentBuilder builder;
    std::string why;
    while (auto item = p.next(worker)) {
      auto built = builder.try_build(item->trial, why);
      if (!built) p.skipped(item->trial.origin, why);
      results.put(item->seq, std::move(built));
    }
  };
}

// The writer's side of an upsert: the live database, the alias graph, the run's change entry
// and the trials it met. Between its commits the changes are a transaction: a run that fails
// (its reader threw, a write failed) drops what it did not commit, where closing the database
// would commit it. Xapian's own flushes (every XAPIAN_FLUSH_THRESHOLD changes) never commit
// inside a transaction, so no commit carries documents without their alias links.
class Upsert {
 public:
  Upsert(Xapian::WritableDatabase& db, const IndexOptions& options)
      : db_(db), options_(options), graph_(load_alias_graph(db)) {
    // The change entry starts from a killed run's, whose committed trials this run finds
    // unchanged; it is kept in the metadata with every commit, so that no run's changes are
    // lost.
    change_.time = now_iso();
    change_.mode = "update";
    if (auto pending = pending_change(db, options.db_path)) change_ = std::move(*pending);
    earlier_ = Counts{change_.added_count, change_.replaced_count, change_.removed_count};
    db_.begin_transaction();
  }

  /// One document, in input order; commits every commit_every written documents, or sooner
  /// when they weigh commit_bytes.
  void write(BuiltDocument& built, IndexSummary& summary) {
    // Each trial is counted once, by what it was before the run and what it is after: a trial
    // that two inputs hold (a zip and an NDJSON) is one duplicate, not two replacements.
    auto [entry, first_copy] = in_run_.try_emplace(built.id_term);
    if (!first_copy) ++summary.duplicates;
    if (apply_document(db_, built, entry->second, first_copy, graph_, change_) ==
        Applied::Unchanged)
      return;
    bytes_since_commit_ += pending_bytes(built.document);
    if (++since_commit_ < options_.commit_every && bytes_since_commit_ < options_.commit_bytes)
      return;
    store_alias_graph(db_, graph_);  // the links of exactly the documents committed
    db_.set_metadata(std::string(kMetaPendingChange), change_to_json(change_));
    db_.commit_transaction();
    db_.begin_transaction();
    since_commit_ = bytes_since_commit_ = 0;
  }

  /// Removes the trials of options.remove_ids that the run did not read.
  void remove_unread(IndexSummary& summary) {
    for (const auto& nct_id : options_.remove_ids) {
      const std::string term = id_term(nct_id);
      if (in_run_.count(term) || db_.postlist_begin(term) == db_.postlist_end(term)) continue;
      db_.delete_document(term);
      graph_.remove_provenance(nct_id);
      if (change_.removed.size() < kMaxLoggedIds) change_.removed.push_back(nct_id);
      ++summary.removed;
    }
  }

  /// Counts the run's trials, commits the documents and their links, then lexicons, synonyms,
  /// metadata and the change log entry as one more transaction, so that a failure there (a
  /// lexicon that cannot be stored) changes none of them.
  void finish(const std::vector<std::string>& sources, const std::vector<LexiconImport>& lexicons,
              Clock::time_point start, IndexSummary& summary) {
    for (const auto& [term, t] : in_run_) {
      if (!t.existed)
        ++summary.added;
      else if (t.hash == t.start_hash)
        ++summary.unchanged;
      else
        ++summary.replaced;
    }
    store_alias_graph(db_, graph_);
    db_.commit_transaction();
    summary.generation = live_generation(options_.db_path).value_or("");
    db_.begin_transaction(false);
    try {
      finish_database(db_, graph_, sources, lexicons, options_, summary);
      summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      db_.set_metadata(std::string(kMetaLastRun), summary_to_json(summary));
      // The entry is logged before the transaction that clears it commits: killed in between,
      // the next run finds it logged (same time) and does not log it twice.
      db_.set_metadata(std::string(kMetaPendingChange), "");
      change_.added_count = earlier_.added + summary.added;
      change_.replaced_count = earlier_.replaced + summary.replaced;
      change_.removed_count = earlier_.removed + summary.removed;
      if (change_.added_count || change_.replaced_count || change_.removed_count) {
        change_.generation = summary.generation;
        change_.documents = summary.documents;
        append_change(options_.db_path, change_);
      }
      db_.commit_transaction();
    } catch (...) {
      db_.cancel_transaction();
      throw;
    }
    summary.status_changes = change_.status_changes.size();
  }

 private:
  Xapian::WritableDatabase& db_;
  const IndexOptions& options_;
  AliasGraph graph_;
  ChangeEntry change_;
  struct Counts {
    std::uint64_t added = 0, replaced = 0, removed = 0;
  };
  Counts earlier_;  ///< a killed run's counts, carried into this run's entry
  std::unordered_map<std::string, RunTrial> in_run_;
  std::uint64_t since_commit_ = 0, bytes_since_commit_ = 0;
};

// Upserts into the live database: new trials added, changed ones replaced, unchanged ones
// skipped by content hash. Reader → builders (any free one takes the next trial) → this thread,
// the writer, in input order. Commits every options.commit_every documents, so a killed run
// leaves the database at its last commit and the next run completes the work.
IndexSummary update_live(const std::vector<std::string>& sources,
                         const std::vector<LexiconImport>& lexicons, const IndexOptions& options,
                         const IndexCallbacks& callbacks) {
  const auto start = Clock::now();
  Xapian::WritableDatabase db = open_for_writing(options);
  check_schema(db, options.db_path);
  db.set_metadata(std::string(kMetaSchema), std::string(kSchemaVersion));

  IndexSummary summary;
  std::mutex summary_mutex;
  std::atomic<std::uint64_t> consumed{0};
  const std::uint64_t total_bytes = callbacks.progress ? source_bytes(sources) : 0;
  ReadCounts counts;
  OrderedResults results;  // before the pipeline, whose destructor cancels it
  TrialPipeline::Options pipeline_options;
  pipeline_options.workers = options.threads;
  pipeline_options.queue_capacity = 512;
  pipeline_options.skipped = [&](const Origin& where, std::string_view reason) {
    count_skip(summary, summary_mutex, callbacks, where, reason);
  };
  pipeline_options.on_finished = [&](std::uint64_t total) { results.finish(total); };
  pipeline_options.on_stop = [&] { results.cancel(); };
  TrialPipeline pipeline(
      std::move(pipeline_options),
      [&](TrialSink& sink) {
        counts =
            options.read ? options.read(sink, &consumed) : read_sources(sources, sink, &consumed);
      },
      build_into(results));

  Upsert upsert(db, options);
  std::uint64_t records = 0;
  auto last_progress = Clock::now();
  auto report = [&](bool force) {
    auto now = Clock::now();
    if (!callbacks.progress || (!force && now - last_progress < std::chrono::milliseconds(500)))
      return;
    last_progress = now;
    callbacks.progress({records, std::chrono::duration<double>(now - start).count(),
                        consumed.load(), total_bytes});
  };
  for (;;) {
    auto next = results.next(std::chrono::milliseconds(200));
    if (!next) {
      if (results.done()) break;
    } else {
      ++records;
      if (*next) upsert.write(**next, summary);  // empty: a trial that could not be built
    }
    report(false);
  }
  pipeline.wait();  // the reader's or a builder's error, if one stopped the pipeline
  upsert.remove_unread(summary);
  summary.read = records;
  summary.inputs = counts.inputs;
  summary.input_errors = counts.input_errors;
  summary.bytes = counts.bytes;
  upsert.finish(sources, lexicons, start, summary);
  report(true);
  return summary;
}

IndexSummary index_locked(const std::vector<std::string>& sources,
                          const std::vector<LexiconImport>& lexicons, const IndexOptions& options,
                          const IndexCallbacks& callbacks, DbLayout layout);

}  // namespace

IndexSummary index_sources(const std::vector<std::string>& sources, const IndexOptions& options,
                           const IndexCallbacks& callbacks) {
  const std::string& db = options.db_path;
  const std::vector<LexiconImport> lexicons = read_lexicons(options.lexicons);
  auto layout = layout_of(db);
  if (layout == DbLayout::Foreign)
    throw RuntimeError(fmt::format(
        "{} exists and is not a trialsearch database: choose another --db (it is never written "
        "to)",
        db));
  if (layout == DbLayout::Missing) {
    std::error_code ec;
    std::filesystem::create_directories(db, ec);
    if (ec)
      throw RuntimeError(fmt::format("cannot create database folder {}: {}", db, ec.message()));
  }
  WriterLock lock(db, options.wait_seconds);
  layout = layout_of(db);  // again, now that no other writer can change it
  try {
    return index_locked(sources, lexicons, options, callbacks, layout);
  } catch (...) {
    std::exception_ptr error =
        naming_full_disk(db);  // an upsert's failed write: at its last commit
    try {
      std::rethrow_exception(error);
    } catch (const Xapian::DatabaseLockError&) {
      throw;
    } catch (const Xapian::DatabaseError& e) {
      throw damaged_database_error(db, e.get_description());
    } catch (const Xapian::DocNotFoundError& e) {
      throw damaged_database_error(db, e.get_description());
    }
  }
}

namespace {

// The run, once the writer lock is held and the layout known.
IndexSummary index_locked(const std::vector<std::string>& sources,
                          const std::vector<LexiconImport>& lexicons, const IndexOptions& options,
                          const IndexCallbacks& callbacks, DbLayout layout) {
  const std::string& db = options.db_path;
  switch (layout) {
    case DbLayout::Missing:
    case DbLayout::Foreign:
      throw RuntimeError(fmt::format("{} changed while waiting for its lock: rerun", db));
    case DbLayout::Empty:
      return build_generation(sources, lexicons, options, callbacks);
    case DbLayout::Flat:
      if (options.snapshot)
        throw RuntimeError(fmt::format(
            "{} was built by an earlier trialsearch without generations: --snapshot needs a new "
            "--db (or reindex it into one)",
            db));
      return update_live(sources, lexicons, options, callbacks);
    case DbLayout::Generations:
      if (!live_generation(db))
        throw RuntimeError(
            fmt::format("{}/XAPIANDB does not name a generation: rebuild with --snapshot", db));
      return options.snapshot ? build_generation(sources, lexicons, options, callbacks)
                              : update_live(sources, lexicons, options, callbacks);
  }
  return {};
}

}  // namespace

std::string rollback_generation(const std::string& db, const std::string& to, double wait_seconds) {
  if (layout_of(db) != DbLayout::Generations)
    throw RuntimeError(fmt::format("{} has no generations to roll back to", db));
  WriterLock lock(db, wait_seconds);
  std::optional<std::string> live;
  try {
    live = live_generation(db);
  } catch (const RuntimeError&) {
    if (to.empty()) throw;  // --to GEN repairs a stub that is not ours
  }
  auto gens = generations(db);
  auto live_at = std::find(gens.begin(), gens.end(), live.value_or(""));
  std::string target = to;
  if (target.empty()) {
    if (live_at == gens.begin() || live_at == gens.end())
      throw RuntimeError(fmt::format("{}: no generation older than {} is kept (see --keep)", db,
                                     live.value_or("the live one")));
    target = *(live_at - 1);
  } else if (std::find(gens.begin(), gens.end(), target) == gens.end()) {
    throw RuntimeError(
        fmt::format("{}: no generation {} (there are: {})", db, target, fmt::join(gens, ", ")));
  }
  Xapian::Database check;
  try {
    check = Xapian::Database((std::filesystem::path(db) / target).string());
  } catch (const Xapian::Error& e) {
    throw RuntimeError(fmt::format("cannot open {}/{}: {}", db, target, e.get_msg()));
  }
  if (check.get_metadata(std::string(kMetaSchema)) != kSchemaVersion)
    throw RuntimeError(
        fmt::format("{}/{} was built with another schema: readers could not use it", db, target));
  publish_generation(db, target);
  ChangeEntry change;
  change.time = now_iso();
  change.mode = "rollback";
  change.generation = target;
  change.documents = check.get_doccount();
  append_change(db, change);
  return target;
}

template <>
struct JsonSchema<IndexSummary> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("read", &IndexSummary::read),
                 json_field("added", &IndexSummary::added),
                 json_field("replaced", &IndexSummary::replaced),
                 json_field("duplicates", &IndexSummary::duplicates),
                 json_field("unchanged", &IndexSummary::unchanged),
                 json_field("removed", &IndexSummary::removed),
                 json_field("status_changes", &IndexSummary::status_changes),
                 json_field("skipped", &IndexSummary::skipped),
                 json_field("skip_reasons", &IndexSummary::skip_reasons),
                 json_field("inputs", &IndexSummary::inputs),
                 json_field("bytes", &IndexSummary::bytes),
                 json_field("documents", &IndexSummary::documents),
                 json_field("alias_links", &IndexSummary::alias_links),
                 json_field("synonym_keys", &IndexSummary::synonym_keys),
                 json_field("largest_expansion", &IndexSummary::largest_expansion),
                 json_field("generation", &IndexSummary::generation),
                 json_field("pruned", &IndexSummary::pruned),
                 json_field("seconds", &IndexSummary::seconds)};
};

std::string summary_to_json(const IndexSummary& s) { return to_json(s); }

}  // namespace trialsearch
