// indexer/json_writer: the writer behind record data and every --json output.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/json_writer.hpp"

using namespace trialsearch;

TEST_CASE("JsonWriter: nesting, commas and every value kind", "[json][writer]") {
  JsonWriter w;
  w.begin_object();
  w.key("s").value("text");
  w.key("n").value(-3);
  w.key("u").value(std::uint64_t{18446744073709551615ULL});
  w.key("d").value(0.5);
  w.key("t").value(true);
  w.key("f").value(false);
  w.key("z").null();
  w.key("a").begin_array().value(1).begin_object().end_object().begin_array().end_array();
  w.end_array();
  w.key("r").raw(R"({"x":[1]})");
  w.end_object();
  CHECK(w.str() ==
        R"({"s":"text","n":-3,"u":18446744073709551615,"d":0.5,"t":true,"f":false,"z":null,)"
        R"("a":[1,{},[]],"r":{"x":[1]}})");
}

TEST_CASE("JsonWriter: strings are escaped, invalid UTF-8 replaced", "[json][writer]") {
  std::string out;
  append_json_string(out, "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f");
  CHECK(out == R"("q\"b\\s/\n\t\r\u0008\u000c\u0001\u001f\u007f")");
  out.clear();
  append_json_string(out, "caf\xc3\xa9 \xe2\x80\x93");  // valid UTF-8 kept as it is
  CHECK(out == "\"caf\xc3\xa9 \xe2\x80\x93\"");
  out.clear();
  append_json_string(out,
                     "a\xff"
                     "b\xc3");  // a stray byte and a cut character
  CHECK(out ==
        "\"a\xef\xbf\xbd"
        "b\xef\xbf\xbd\"");
  JsonWriter w;
  w.begin_object().key("k\"").value("v").end_object();
  CHECK(w.str() == R"({"k\"":"v"})");
}

TEST_CASE("JsonWriter: field_if leaves out empty values", "[json][writer]") {
  JsonWriter w;
  w.begin_object();
  w.field_if("empty", std::string_view{});
  w.field_if("title", "A study");
  w.field_if("none", std::vector<std::string>{});
  w.field_if("list", std::vector<std::string>{"a", "b"});
  w.end_object();
  CHECK(w.str() == R"({"title":"A study","list":["a","b"]})");
}
