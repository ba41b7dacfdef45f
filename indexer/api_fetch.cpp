#include "indexer/api_fetch.hpp"

#include <simdjson.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/generations.hpp"
#include "indexer/json_fields.hpp"
#include "indexer/normalize.hpp"

namespace trialsearch {
namespace {

// More pages than this in one listing is a server handing out tokens forever.
constexpr std::uint64_t kMaxPages = 100000;
// NCT ids per filter.ids request for studies the index lacks (a 2,600-character address).
constexpr std::size_t kIdsPerRequest = 200;

// What the database holds that a fetch needs, read before anything is asked of the API.
struct DbState {
  std::uint64_t documents = 0;
  std::string timestamp;   // kMetaDataTimestamp
  std::string reconciled;  // kMetaReconciled
};

std::string date_of_number(double n) {
  const auto v = static_cast<long>(n);
  return fmt::format("{:04}-{:02}-{:02}", v / 10000, v / 100 % 100, v % 100);
}

// The live database for reading, or nullopt when there is none yet.
std::optional<Xapian::Database> open_live(const std::string& db_path) {
  const DbLayout layout = layout_of(db_path);
  if (layout != DbLayout::Flat && layout != DbLayout::Generations) return std::nullopt;
  try {
    return Xapian::Database(live_database_path(db_path), Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::DatabaseError& e) {
    throw damaged_database_error(db_path, e.get_description());
  }
}

DbState read_state(const std::string& db_path) {
  DbState state;
  if (auto db = open_live(db_path)) {
    state.documents = db->get_doccount();
    state.timestamp = db->get_metadata(std::string(kMetaDataTimestamp));
    state.reconciled = db->get_metadata(std::string(kMetaReconciled));
  }
  return state;
}

// The newest LastUpdatePostDate the index holds (YYYY-MM-DD), "" when none: where the updates
// of a database built from files start.
std::string newest_update(const std::string& db_path) {
  auto db = open_live(db_path);
  if (!db) return {};
  std::string newest;
  for (auto v = db->valuestream_begin(kSlotLastUpdate); v != db->valuestream_end(kSlotLastUpdate);
       ++v)
    newest = std::max(newest, *v);  // sortable_serialise keeps the dates' order as strings
  return newest.empty() ? newest : date_of_number(Xapian::sortable_unserialise(newest));
}

// The NCT ids the index holds, sorted.
std::vector<std::string> indexed_ids(const std::string& db_path) {
  std::vector<std::string> ids;
  if (auto db = open_live(db_path))
    for (auto t = db->allterms_begin("Q"); t != db->allterms_end("Q"); ++t)
      ids.push_back(nct_id_of_term(*t));
  std::sort(ids.begin(), ids.end());
  return ids;
}

// A page of /studies as the specification describes it: {"studies": [...], "nextPageToken":
// "..." (absent on the last page), "totalCount": N (with countTotal=true)}.
struct Page {
  simdjson::dom::array studies;
  std::string next_token;
  std::optional<std::uint64_t> total;
};

std::optional<std::string> parse_page(simdjson::dom::parser& parser, const std::string& body,
                                      Page& page) {
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return std::string("malformed JSON");
  simdjson::dom::array studies;
  if (doc["studies"].get_array().get(studies))
    return std::string("a page without a \"studies\" array");
  page.studies = studies;
  page.next_token.clear();
  page.total.reset();
  auto token = doc["nextPageToken"];
  if (!token.error()) {
    std::string_view t;
    if (token.get_string().get(t) || t.empty())
      return std::string("a nextPageToken that is not a string");
    page.next_token = std::string(t);
  }
  std::uint64_t total = 0;
  if (!doc["totalCount"].get_uint64().get(total)) page.total = total;
  return std::nullopt;
}

// Pages through /studies?QUERY: on_page(body, page) for each, following nextPageToken to the
// end. Each page is checked before it is used; a malformed one is fetched again.
template <typename OnPage>
void for_each_page(ApiClient& client, const std::string& query, OnPage on_page) {
  simdjson::dom::parser parser;
  Page page;
  std::string token;
  for (std::uint64_t n = 0;; ++n) {
    if (n >= kMaxPages)
      throw RuntimeError(fmt::format("the API gave more than {} pages for /studies?{}: stopped",
                                     kMaxPages, query));
    std::string path = "/studies?" + query;
    if (!token.empty()) path += "&pageToken=" + url_encode(token);
    std::string body =
        client.get(path, [&](const std::string& b) { return parse_page(parser, b, page); });
    // the element refers to the parser's copy of the body the check accepted last
    on_page(body, page);
    if (page.next_token.empty()) return;
    if (page.next_token == token)
      throw RuntimeError(
          fmt::format("the API gave the same nextPageToken twice for /studies?{}", query));
    token = page.next_token;
  }
}

// The registry's complete NCT id list (fields=NCTId), sorted. Refused when shorter than the
// totalCount it announced.
std::vector<std::string> registry_ids(ApiClient& client, unsigned page_size) {
  std::vector<std::string> ids;
  std::optional<std::uint64_t> announced;
  const std::string query =
      fmt::format("format=json&fields=NCTId&countTotal=true&pageSize={}", page_size);
  for_each_page(client, query, [&](const std::string&, const Page& page) {
    if (page.total && !announced) announced = page.total;
    for (auto study : page.studies) {
      std::string_view id;
      if (study["protocolSection"]["identificationModule"]["nctId"].get_string().get(id) ||
          !is_nct_id(id))
        throw RuntimeError("the API's id list holds a study without a valid NCT id");
      ids.emplace_back(id);
    }
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (announced && ids.size() < *announced)
    throw RuntimeError(fmt::format(
        "the API's id list ended after {} of the {} ids it announced: not reconciled, the live "
        "index is unchanged",
        ids.size(), *announced));
  return ids;
}

std::string valid_date(std::string_view timestamp) {
  if (timestamp.size() < 10 || !date_number(timestamp.substr(0, 10))) return {};
  return std::string(timestamp.substr(0, 10));
}

}  // namespace

std::optional<double> days_between(std::string_view from, std::string_view to) {
  auto day = [](std::string_view ts) -> std::optional<std::chrono::sys_days> {
    auto n = date_number(valid_date(ts));
    if (!n) return std::nullopt;
    return std::chrono::sys_days(std::chrono::year(*n / 10000) /
                                 std::chrono::month(static_cast<unsigned>(*n / 100 % 100)) /
                                 std::chrono::day(static_cast<unsigned>(*n % 100)));
  };
  auto a = day(from), b = day(to);
  if (!a || !b) return std::nullopt;
  return static_cast<double>((*b - *a).count());
}

FetchSummary fetch_from_api(const FetchOptions& options, const IndexCallbacks& callbacks,
                            const std::function<void(std::string_view)>& on_message) {
  FetchSummary summary;
  ApiClient client(options.api);
  client.on_retry = on_message;
  client.get("/version", [&](const std::string& body) {
    simdjson::dom::parser parser;
    std::string_view ts;
    if (parser.parse(body)["dataTimestamp"].get_string().get(ts) || valid_date(ts).empty())
      return std::optional<std::string>("a /version without a dataTimestamp");
    summary.data_timestamp = std::string(ts);
    return std::optional<std::string>();
  });
  DbState state = read_state(options.index.db_path);
  summary.previous_timestamp = state.timestamp;
  summary.requests = client.requests();
  if (!options.full && !state.timestamp.empty() && state.timestamp == summary.data_timestamp) {
    summary.current = true;
    return summary;
  }

  // From the date of the last run's timestamp, that day included (LastUpdatePostDate is a date:
  // studies posted later that day are in the range, those seen already are skipped unchanged).
  summary.since = !valid_date(state.timestamp).empty() ? valid_date(state.timestamp)
                                                       : newest_update(options.index.db_path);
  const auto age = days_between(state.reconciled, summary.data_timestamp);
  const bool has_trials = state.documents > 0;
  const bool due = options.full || (has_trials && state.reconciled.empty()) ||
                   (options.reconcile_days > 0 && age && *age >= options.reconcile_days);
  IndexOptions index = options.index;
  std::vector<std::string> missing;
  if (due && has_trials) {
    if (on_message) on_message("reconciling with the registry's id list");
    const std::vector<std::string> listed = registry_ids(client, options.page_size);
    const std::vector<std::string> held = indexed_ids(options.index.db_path);
    summary.reconciled = true;
    summary.registry_ids = listed.size();
    std::set_difference(held.begin(), held.end(), listed.begin(), listed.end(),
                        std::back_inserter(index.remove_ids));
    std::set_difference(listed.begin(), listed.end(), held.begin(), held.end(),
                        std::back_inserter(missing));
    const double share = static_cast<double>(index.remove_ids.size()) / state.documents;
    if (share > options.index.max_removed_share)
      throw RuntimeError(fmt::format(
          "the registry's id list lacks {} of the {} trials indexed ({:.1f}%, more than "
          "--max-removed {:.0f}%): an incomplete list? Not reconciled, the live index is "
          "unchanged",
          index.remove_ids.size(), state.documents, 100 * share,
          100 * options.index.max_removed_share));
  }
  summary.missing = missing.size();
  // A first run reads every study: the index is then the registry's whole list.
  const bool whole = summary.since.empty();
  index.metadata[std::string(kMetaDataTimestamp)] = summary.data_timestamp;
  if (summary.reconciled || whole)
    index.metadata[std::string(kMetaReconciled)] = summary.data_timestamp;

  const std::string base = options.api.base_url;
  index.read = [&](TrialSink& sink, std::atomic<std::uint64_t>* consumed) {
    ReadCounts counts;
    auto read_page = [&](const std::string& body, const Page&) {
      ++summary.pages;
      ++counts.inputs;
      counts.bytes += body.size();
      if (consumed) *consumed += body.size();
      Origin origin;
      origin.file = fmt::format("{}/studies page {}", base, summary.pages);
      read_json(body, origin, sink);
    };
    std::string query = fmt::format("format=json&pageSize={}", options.page_size);
    if (!whole)
      query += "&filter.advanced=" +
               url_encode(fmt::format("AREA[LastUpdatePostDate]RANGE[{},MAX]", summary.since));
    for_each_page(client, query, read_page);
    for (std::size_t i = 0; i < missing.size(); i += kIdsPerRequest) {
      std::string ids;
      for (std::size_t j = i; j < std::min(missing.size(), i + kIdsPerRequest); ++j)
        ids += (ids.empty() ? "" : ",") + missing[j];
      for_each_page(
          client,
          fmt::format("format=json&pageSize={}&filter.ids={}", options.page_size, url_encode(ids)),
          read_page);
    }
    return counts;
  };
  try {
    summary.index = index_sources({}, index, callbacks);
  } catch (const RuntimeError& e) {
    // LockedError and Xapian's errors pass as they are: main names them
    throw RuntimeError(fmt::format(
        "{}; the index keeps its data timestamp ({}): the next fetch starts again from {}",
        e.what(), state.timestamp.empty() ? "none yet" : state.timestamp,
        whole ? "the beginning" : summary.since));
  }
  summary.requests = client.requests();
  return summary;
}

// Every member but `index`, which is written after them (null when nothing was done).
template <>
struct JsonSchema<FetchSummary> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("current", &FetchSummary::current),
                 json_field("data_timestamp", &FetchSummary::data_timestamp),
                 json_field("previous_timestamp", &FetchSummary::previous_timestamp),
                 json_field("since", &FetchSummary::since),
                 json_field("pages", &FetchSummary::pages),
                 json_field("requests", &FetchSummary::requests),
                 json_field("reconciled", &FetchSummary::reconciled),
                 json_field("registry_ids", &FetchSummary::registry_ids),
                 json_field("missing", &FetchSummary::missing)};
};

std::string fetch_summary_to_json(const FetchSummary& s) {
  JsonWriter w;
  w.begin_object();
  write_json_members(w, s);
  w.key("index");
  if (s.current)
    w.null();
  else
    w.raw(summary_to_json(s.index));
  w.end_object();
  return w.take();
}

}  // namespace trialsearch
