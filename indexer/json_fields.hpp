/// @brief Each struct's JSON described once, as a list of (name, member) pairs, from which both
/// directions are derived: writing with JsonWriter and reading from a simdjson element.
///
/// A struct takes part by specialising JsonSchema:
///
///     template <> struct JsonSchema<Sponsor> {
///       static constexpr auto empty = JsonEmpty::Omit;
///       static constexpr auto fields = std::tuple{json_field("name", &Sponsor::name), ...};
///     };
///
/// Fields are written in the list's order. Member types: std::string, bool, integers, double,
/// std::optional, std::vector and std::map<std::string, ...> of these, and described structs.
/// Reading is lenient the way records need it: a missing value, or one of another type, leaves
/// the member as it was (default), and unknown keys are ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <simdjson.h>

#include "indexer/json_writer.hpp"

namespace trialsearch {

/// How a struct's empty members (empty text or list, false, 0, an unset optional, a described
/// struct whose members are all empty) are written: left out (stored records: compact), or
/// always (logs and summaries, whose readers expect every key). An unset optional is always
/// left out.
enum class JsonEmpty { Omit, Write };

template <class T, class M>
struct JsonField {
  std::string_view name;
  M T::*member;
  bool hit;  ///< read for a search hit (trial records read with RecordParts::Hit)
};

template <class T, class M>
constexpr JsonField<T, M> json_field(std::string_view name, M T::*member, bool hit = true) {
  return {name, member, hit};
}

template <class T>
struct JsonSchema;

template <class T>
concept JsonDescribed = requires {
  JsonSchema<T>::fields;
  JsonSchema<T>::empty;
};

namespace json_detail {

template <class V>
struct IsOptional : std::false_type {};
template <class V>
struct IsOptional<std::optional<V>> : std::true_type {};
template <class V>
struct IsVector : std::false_type {};
template <class V>
struct IsVector<std::vector<V>> : std::true_type {};
template <class V>
struct IsMap : std::false_type {};
template <class V>
struct IsMap<std::map<std::string, V>> : std::true_type {};

template <class V>
bool is_empty(const V& v);

template <class T>
bool all_empty(const T& t) {
  return std::apply([&](const auto&... f) { return (is_empty(t.*(f.member)) && ...); },
                    JsonSchema<T>::fields);
}

template <class V>
bool is_empty(const V& v) {
  if constexpr (std::is_same_v<V, std::string> || IsVector<V>::value || IsMap<V>::value)
    return v.empty();
  else if constexpr (IsOptional<V>::value)
    return !v.has_value();
  else if constexpr (std::is_arithmetic_v<V>)
    return v == V{};
  else
    return all_empty(v);
}

template <class V>
void write_value(JsonWriter& w, const V& v);

template <class T>
void write_members(JsonWriter& w, const T& t) {
  std::apply(
      [&](const auto&... f) {
        auto one = [&](const auto& field) {
          const auto& v = t.*(field.member);
          if constexpr (IsOptional<std::remove_cvref_t<decltype(v)>>::value) {
            if (!v) return;
          }
          if (JsonSchema<T>::empty == JsonEmpty::Omit && is_empty(v)) return;
          w.key(field.name);
          write_value(w, v);
        };
        (one(f), ...);
      },
      JsonSchema<T>::fields);
}

template <class V>
void write_value(JsonWriter& w, const V& v) {
  if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, bool>) {
    w.value(v);
  } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) {
    w.value(static_cast<std::int64_t>(v));
  } else if constexpr (std::is_integral_v<V>) {
    w.value(static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_floating_point_v<V>) {
    w.value(static_cast<double>(v));
  } else if constexpr (IsOptional<V>::value) {
    write_value(w, *v);
  } else if constexpr (IsVector<V>::value) {
    w.begin_array();
    for (const auto& item : v) write_value(w, item);
    w.end_array();
  } else if constexpr (IsMap<V>::value) {
    w.begin_object();
    for (const auto& [key, item] : v) {
      w.key(key);
      write_value(w, item);
    }
    w.end_object();
  } else {
    static_assert(JsonDescribed<V>, "a member type json_fields.hpp cannot write");
    w.begin_object();
    write_members(w, v);
    w.end_object();
  }
}

template <class V>
bool read_value(simdjson::dom::element e, V& v);

template <class T>
void read_members(simdjson::dom::element e, T& t, bool hit_only) {
  std::apply(
      [&](const auto&... f) {
        auto one = [&](const auto& field) {
          if (hit_only && !field.hit) return;
          simdjson::dom::element value;
          if (e[field.name].get(value) == simdjson::SUCCESS) read_value(value, t.*(field.member));
        };
        (one(f), ...);
      },
      JsonSchema<T>::fields);
}

// Whether `e` had V's type (v is left as it was otherwise).
template <class V>
bool read_value(simdjson::dom::element e, V& v) {
  if constexpr (std::is_same_v<V, std::string>) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) return false;
    v.assign(s);
  } else if constexpr (std::is_same_v<V, bool>) {
    return e.get_bool().get(v) == simdjson::SUCCESS;
  } else if constexpr (std::is_integral_v<V> && std::is_signed_v<V>) {
    std::int64_t n = 0;
    if (e.get_int64().get(n) != simdjson::SUCCESS) return false;
    v = static_cast<V>(n);
  } else if constexpr (std::is_integral_v<V>) {
    std::uint64_t n = 0;
    if (e.get_uint64().get(n) != simdjson::SUCCESS) return false;
    v = static_cast<V>(n);
  } else if constexpr (std::is_floating_point_v<V>) {
    double d = 0;
    if (e.get_double().get(d) != simdjson::SUCCESS) return false;
    v = static_cast<V>(d);
  } else if constexpr (IsOptional<V>::value) {
    typename V::value_type inner{};
    if (!read_value(e, inner)) return false;
    v = std::move(inner);
  } else if constexpr (IsVector<V>::value) {
    simdjson::dom::array items;
    if (e.get_array().get(items) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element item : items) {
      typename V::value_type one{};
      read_value(item, one);  // an item of another type is kept, empty: the list keeps its length
      v.push_back(std::move(one));
    }
  } else if constexpr (IsMap<V>::value) {
    simdjson::dom::object items;
    if (e.get_object().get(items) != simdjson::SUCCESS) return false;
    for (auto [key, item] : items) read_value(item, v[std::string(key)]);
  } else {
    static_assert(JsonDescribed<V>, "a member type json_fields.hpp cannot read");
    if (!e.is_object()) return false;
    read_members(e, v, false);
  }
  return true;
}

}  // namespace json_detail

/// Whether every member of `t` is empty: what JsonEmpty::Omit leaves out as a member.
template <JsonDescribed T>
bool json_empty(const T& t) {
  return json_detail::all_empty(t);
}

/// `t` as JSON: an object for a described struct; a list, a map, text or a number otherwise.
template <class T>
void write_json(JsonWriter& w, const T& t) {
  json_detail::write_value(w, t);
}

/// `t`'s members, without the braces (for an object that adds more keys).
template <JsonDescribed T>
void write_json_members(JsonWriter& w, const T& t) {
  json_detail::write_members(w, t);
}

template <JsonDescribed T>
std::string to_json(const T& t) {
  JsonWriter w;
  write_json(w, t);
  return w.take();
}

/// Reads `e`'s members into `t`; with `hit_only`, only the fields marked `hit`. Whether `e` is
/// an object.
template <JsonDescribed T>
bool read_json(simdjson::dom::element e, T& t, bool hit_only = false) {
  if (!e.is_object()) return false;
  json_detail::read_members(e, t, hit_only);
  return true;
}

}  // namespace trialsearch
