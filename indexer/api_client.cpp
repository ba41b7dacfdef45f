#include "indexer/api_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "indexer/dynamic_library.hpp"

#ifndef TRIALSEARCH_VERSION
#define TRIALSEARCH_VERSION "0"
#endif

namespace trialsearch {
namespace {

// libcurl's functions, loaded with dlopen() by the first ApiClient: linking libcurl (with its
// two dozen dependencies: TLS, HTTP/2, LDAP, SSH...) would cost every search process their
// loading, as libarchive did (archive_library.hpp). X(member, function).
#define TRIALSEARCH_CURL_FUNCTIONS(X) \
  X(global_init, curl_global_init)    \
  X(easy_init, curl_easy_init)        \
  X(easy_setopt, curl_easy_setopt)    \
  X(easy_perform, curl_easy_perform)  \
  X(easy_getinfo, curl_easy_getinfo)  \
  X(easy_cleanup, curl_easy_cleanup)  \
  X(easy_strerror, curl_easy_strerror)

struct CurlLibrary {
#define TRIALSEARCH_CURL_MEMBER(member, function) decltype(&::function) member = nullptr;
  TRIALSEARCH_CURL_FUNCTIONS(TRIALSEARCH_CURL_MEMBER)
#undef TRIALSEARCH_CURL_MEMBER
  std::string error;
  bool ok = false;
};

CurlLibrary load_curl() {
  CurlLibrary out;
  // Debian's libcurl4 (OpenSSL), its GnuTLS flavour, then an unversioned development link.
  void* handle =
      open_library({"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"}, "libcurl4", &out.error);
  if (!handle) {
    out.error = "fetching from the API " + out.error;
    return out;
  }
  out.ok = true;
#define TRIALSEARCH_CURL_RESOLVE(member, function) \
  out.ok = out.ok && resolve_symbol(handle, "libcurl", #function, &out.member, &out.error);
  TRIALSEARCH_CURL_FUNCTIONS(TRIALSEARCH_CURL_RESOLVE)
#undef TRIALSEARCH_CURL_RESOLVE
  // Once, before any handle, while only one thread runs curl (it is not thread-safe).
  if (out.ok && out.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    out.ok = false;
    out.error = "libcurl could not be initialised";
  }
  return out;
}

const CurlLibrary& curl() {
  static const CurlLibrary loaded = load_curl();  // one thread-safe initialisation
  if (!loaded.ok) throw RuntimeError(loaded.error);
  return loaded;
}

struct Body {
  std::string text;
  std::size_t limit = 0;
  bool too_large = false;
  bool out_of_memory = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t n = size * count;
  if (body->text.size() + n > body->limit) {
    body->too_large = true;
    return 0;  // libcurl ends the transfer (CURLE_WRITE_ERROR)
  }
  try {
    body->text.append(data, n);
  } catch (...) {  // nothing may be thrown through libcurl's C frames
    body->out_of_memory = true;
    return 0;
  }
  return n;
}

// Statuses worth another attempt: too many requests, and the server's own failures.
bool retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

// Transport errors that are the server's or the network's, not ours (a bad address, an
// unsupported protocol or a body over the limit are not retried).
bool retryable_error(CURLcode code) {
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
    case CURLE_TOO_MANY_REDIRECTS:
      return false;
    default:
      return true;
  }
}

std::string seconds_text(double s) {
  return s < 10 ? fmt::format("{:.2g} s", s) : fmt::format("{:.0f} s", s);
}

}  // namespace

std::string url_encode(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string user_agent() {
  return fmt::format("trialsearch/{} (offline clinical-trial search; nightly index update)",
                     TRIALSEARCH_VERSION);
}

ApiClient::ApiClient(ApiClientOptions options) : options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  curl_ = curl().easy_init();
  if (!curl_) throw RuntimeError("libcurl could not make a request handle");
}

ApiClient::~ApiClient() {
  if (curl_) curl().easy_cleanup(static_cast<CURL*>(curl_));
}

std::string ApiClient::get(const std::string& path_and_query, const BodyCheck& check) {
  const CurlLibrary& lib = curl();
  CURL* h = static_cast<CURL*>(curl_);
  const std::string url = options_.base_url + path_and_query;
  const std::string agent = user_agent();
  auto ms = [](double seconds) { return static_cast<long>(std::max(1.0, seconds * 1000)); };
  std::string last_error;
  for (unsigned attempt = 0;; ++attempt) {
    Body body;
    body.limit = options_.max_body_bytes;
    lib.easy_setopt(h, CURLOPT_URL, url.c_str());
    lib.easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
    lib.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    lib.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    lib.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    lib.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the server offers it
    lib.easy_setopt(h, CURLOPT_TIMEOUT_MS, ms(options_.timeout_seconds));
    lib.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms(options_.connect_seconds));
    lib.easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
    lib.easy_setopt(h, CURLOPT_WRITEDATA, &body);
    ++requests_;
    const CURLcode code = lib.easy_perform(h);
    long status = 0;
    curl_off_t retry_after = 0;  // seconds; 0 when the response has no Retry-After
    bool retry = false;
    if (code != CURLE_OK) {
      last_error = body.too_large
                       ? fmt::format("a response over {} MB", options_.max_body_bytes >> 20)
                   : body.out_of_memory ? std::string("no memory for the response")
                                        : std::string(lib.easy_strerror(code));
      retry = retryable_error(code);
    } else {
      lib.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      lib.easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
      if (status == 200) {
        std::optional<std::string> refused = check ? check(body.text) : std::nullopt;
        if (!refused) return std::move(body.text);
        last_error = *refused;
        retry = true;
      } else {
        last_error = fmt::format("HTTP {}", status);
        retry = retryable_status(status);
      }
    }
    if (!retry || attempt >= options_.retries)
      throw RuntimeError(
          fmt::format("{} from {}{}", last_error, url,
                      attempt ? fmt::format(" (after {} attempts)", attempt + 1) : std::string()));
    double wait = retry_after > 0 ? static_cast<double>(retry_after)
                                  : options_.backoff_seconds * std::pow(2.0, attempt);
    wait = std::min(wait, options_.max_wait_seconds);
    if (on_retry)
      on_retry(fmt::format("{} from {}: retrying in {} ({} of {})", last_error, url,
                           seconds_text(wait), attempt + 1, options_.retries));
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

}  // namespace trialsearch
