/// @brief A small streaming JSON writer for record data and every --json output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

/// Writes compact JSON into a string. Keys and values are escaped; invalid UTF-8 is replaced
/// with U+FFFD so the output always parses. Usage:
///   JsonWriter w; w.begin_object(); w.key("n").value(3); w.end_object(); w.str();
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
  JsonWriter& value(bool v);
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(long long v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(unsigned v) { return value(static_cast<std::uint64_t>(v)); }
  JsonWriter& value(unsigned long long v) { return value(static_cast<std::uint64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& null();
  /// Inserts already-serialised JSON as a value.
  JsonWriter& raw(std::string_view json);

  /// Writes `k: v` only when v is non-empty (keeps record data compact).
  JsonWriter& field_if(std::string_view k, std::string_view v);
  JsonWriter& field_if(std::string_view k, const std::vector<std::string>& v);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void comma();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// Appends `text` as a JSON string literal (with quotes) to `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace trialsearch
