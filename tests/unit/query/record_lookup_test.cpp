// The NCT id of a hit: from its id slot, or from its id term in databases written before it.
#include <catch2/catch.hpp>

#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "query/record_lookup.hpp"

using namespace trialsearch;

TEST_CASE("nct_id_of reads the id slot, else the id term", "[query][ids]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document old;  // as written before kSlotNctId: the id term only
  old.add_boolean_term(id_term("NCT01234567"));
  Xapian::Document current;
  current.add_boolean_term(id_term("NCT07654321"));
  current.add_value(kSlotNctId, "NCT07654321");
  Xapian::docid a = db.add_document(old), b = db.add_document(current);
  CHECK(nct_id_of(db.get_document(a)) == "NCT01234567");
  CHECK(nct_id_of(db.get_document(b)) == "NCT07654321");
  CHECK(nct_id_of(Xapian::Document()).empty());
}
