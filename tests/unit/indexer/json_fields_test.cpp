// A struct's JSON described once (json_fields.hpp): both directions derived from one list.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "indexer/json_fields.hpp"

namespace trialsearch {

namespace {

struct Part {
  std::string name;
  std::optional<double> size;
};

struct Whole {
  std::string title;
  std::vector<std::string> tags;
  bool flag = false;
  std::optional<bool> answer;
  std::int64_t delta = 0;
  std::size_t count = 0;
  double ratio = 0;
  Part main;
  std::vector<Part> parts;
  std::map<std::string, std::uint64_t> counts;
  std::string note;  ///< not a hit field
};

struct Logged {
  std::string time;
  std::uint64_t n = 0;
  std::vector<std::string> ids;
};

}  // namespace

template <>
struct JsonSchema<Part> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("name", &Part::name), json_field("size", &Part::size)};
};

template <>
struct JsonSchema<Whole> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("title", &Whole::title),     json_field("tags", &Whole::tags),
                 json_field("flag", &Whole::flag),       json_field("answer", &Whole::answer),
                 json_field("delta", &Whole::delta),     json_field("count", &Whole::count),
                 json_field("ratio", &Whole::ratio),     json_field("main", &Whole::main),
                 json_field("parts", &Whole::parts),     json_field("counts", &Whole::counts),
                 json_field("note", &Whole::note, false)};
};

template <>
struct JsonSchema<Logged> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("time", &Logged::time), json_field("n", &Logged::n),
                 json_field("ids", &Logged::ids)};
};

}  // namespace trialsearch

using namespace trialsearch;

namespace {

template <class T>
T parse(const std::string& json, bool hit_only = false) {
  simdjson::dom::parser parser;
  T t;
  REQUIRE(read_json(parser.parse(json).value(), t, hit_only));
  return t;
}

}  // namespace

TEST_CASE("a described struct is written in its list's order and read back whole",
          "[indexer][json]") {
  Whole w;
  w.title = "Lupus \"trial\"";
  w.tags = {"a", "b"};
  w.flag = true;
  w.answer = false;  // set: written although false
  w.delta = -3;
  w.count = 7;
  w.ratio = 0.5;
  w.main = {"core", 1.5};
  w.parts = {{"x", std::nullopt}, {}};  // an empty part in a list is kept
  w.counts = {{"RECRUITING", 2}};
  w.note = "kept";
  const std::string json = to_json(w);
  CHECK(json ==
        R"({"title":"Lupus \"trial\"","tags":["a","b"],"flag":true,"answer":false,"delta":-3,)"
        R"("count":7,"ratio":0.5,"main":{"name":"core","size":1.5},"parts":[{"name":"x"},{}],)"
        R"("counts":{"RECRUITING":2},"note":"kept"})");
  Whole back = parse<Whole>(json);
  CHECK(to_json(back) == json);
  CHECK(back.answer == std::optional<bool>(false));
  CHECK(back.parts.size() == 2);
  CHECK(back.main.size == std::optional<double>(1.5));
}

TEST_CASE("empty members are left out (Omit) or written (Write), unset optionals never",
          "[indexer][json]") {
  CHECK(to_json(Whole{}) == "{}");
  Whole only_main;
  only_main.main.size = 0.0;  // a set optional makes its struct non-empty
  CHECK(to_json(only_main) == R"({"main":{"size":0}})");
  CHECK(to_json(Logged{}) == R"({"time":"","n":0,"ids":[]})");
}

TEST_CASE("reading is lenient: missing keys, other types and unknown keys leave defaults",
          "[indexer][json]") {
  Whole w = parse<Whole>(
      R"({"title":5,"tags":["a",3,"c"],"flag":"yes","count":-1,"main":[],"extra":{"x":1},)"
      R"("parts":[7,{"name":"p"}],"ratio":2})");
  CHECK(w.title.empty());
  CHECK(w.tags == std::vector<std::string>{"a", "", "c"});  // the list keeps its length
  CHECK_FALSE(w.flag);
  CHECK(w.count == 0);
  CHECK(w.main.name.empty());
  REQUIRE(w.parts.size() == 2);
  CHECK(w.parts[1].name == "p");
  CHECK(w.ratio == 2.0);  // an integer is a number
  simdjson::dom::parser parser;
  Whole none;
  CHECK_FALSE(read_json(parser.parse(std::string("[1]")).value(), none));
}

TEST_CASE("hit_only reads the fields marked for a hit", "[indexer][json]") {
  Whole w = parse<Whole>(R"({"title":"t","note":"n"})", true);
  CHECK(w.title == "t");
  CHECK(w.note.empty());
  CHECK(parse<Whole>(R"({"title":"t","note":"n"})").note == "n");
}
