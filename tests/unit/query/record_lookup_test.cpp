// The NCT id of a hit: from its id slot.
#include <catch2/catch.hpp>

#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "query/record_lookup.hpp"

using namespace trialsearch;

TEST_CASE("nct_id_of reads the id slot", "[query][ids]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document current;
  current.add_boolean_term(id_term("NCT07654321"));
  current.add_value(kSlotNctId, "NCT07654321");
  Xapian::docid b = db.add_document(current);
  CHECK(nct_id_of(db.get_document(b)) == "NCT07654321");
  CHECK(nct_id_of(Xapian::Document()).empty());
}
