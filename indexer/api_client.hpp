/// @brief A polite HTTP client for ClinicalTrials.gov's API v2 (libcurl, loaded on first use):
/// one request at a time, a User-Agent naming trialsearch, timeouts, bounded retries with
/// Retry-After and exponential back-off on 429, 5xx, cut connections and malformed bodies.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace trialsearch {

/// The API's documented address (https://clinicaltrials.gov/api/oas/v2); $TRIALSEARCH_API
/// replaces it (mirrors, tests).
inline constexpr std::string_view kDefaultApiBase = "https://clinicaltrials.gov/api/v2";

struct ApiClientOptions {
  std::string base_url = std::string(kDefaultApiBase);  ///< without a trailing slash
  unsigned retries = 5;           ///< further attempts after a failed one, at most
  double timeout_seconds = 300;   ///< a whole request, at most
  double connect_seconds = 30;    ///< connecting, at most
  double backoff_seconds = 2;     ///< the first wait without Retry-After; doubled each time
  double max_wait_seconds = 600;  ///< no wait (Retry-After or back-off) is longer
  /// A response body larger than this is refused (a page of 1,000 studies is about 20 MB).
  std::size_t max_body_bytes = 512u << 20;
};

/// Checks a response body: nullopt when it is usable, else why not (one line). A body that
/// fails it is retried like a 5xx: it usually is a transfer garbled on its way.
using BodyCheck = std::function<std::optional<std::string>(const std::string& body)>;

class ApiClient {
 public:
  /// Throws RuntimeError when libcurl cannot be loaded.
  explicit ApiClient(ApiClientOptions options);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  /// GET base_url + `path_and_query` ("/version", "/studies?..."): the body of a 200 response
  /// that `check` accepts. Retries 429, 5xx, transport errors (refused or cut connections,
  /// timeouts) and bodies `check` refuses, waiting Retry-After when given, else the back-off;
  /// other statuses fail at once. Throws RuntimeError (one line, naming the address) when no
  /// attempt succeeded.
  std::string get(const std::string& path_and_query, const BodyCheck& check = {});

  /// Called with one line before each retry ("HTTP 429 from URL: retrying in 2 s (1 of 5)").
  std::function<void(std::string_view)> on_retry;

  std::uint64_t requests() const { return requests_; }  ///< HTTP requests made so far

 private:
  ApiClientOptions options_;
  void* curl_ = nullptr;  // CURL*, reused: one connection kept alive between pages
  std::uint64_t requests_ = 0;
};

/// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view value);

/// "trialsearch/0.1.0 (+https://github.com/...)": what the client sends as its User-Agent.
std::string user_agent();

}  // namespace trialsearch
