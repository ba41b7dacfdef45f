/// @brief Turns a Trial into a Xapian document: every schema field's terms, value slots and record
/// data.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "analyzers/fields.hpp"
#include "indexer/trial.hpp"

namespace trialsearch {

/// A document ready for the writer, with what the writer needs beside it.
struct BuiltDocument {
  Xapian::Document document;
  std::string nct_id;
  std::string id_term;       ///< the unique Q term
  std::string content_hash;  ///< also in kSlotContentHash
  std::string status;        ///< overall status, for the change log
  /// Alias groups the record states: an intervention's name with its other names, and
  /// "CODE (OTHER-CODE)" pairs in titles. Names as written; the writer links them.
  std::vector<std::vector<std::string>> alias_groups;
  std::vector<std::string> spelling_words;  ///< words for "did you mean", sorted, each once
};

/// Builds documents. Not thread-safe: one builder per thread (each owns a TermGenerator).
class DocumentBuilder {
 public:
  DocumentBuilder();
  /// Throws std::length_error (never a Xapian error) for a document Xapian would refuse, so
  /// that the writer skips the record instead of losing its uncommitted batch.
  BuiltDocument build(const Trial& trial);
  /// build(), or nullopt when the trial cannot be indexed, with `why` set to the message the
  /// writers report as the record's skip ("NCT...: cannot index: ...").
  std::optional<BuiltDocument> try_build(const Trial& trial, std::string& why);

 private:
  void index_text(const FieldSpec& spec, std::string_view text, unsigned weight_override = 0);
  void index_text(const PartSpec& p, std::string_view text) {
    index_text(*p.field, text, p.weight);
  }
  Xapian::TermGenerator generator_;
};

/// Empty when Xapian takes every term of `doc`; else why not, naming the first term over
/// kMaxTermBytes (fields.hpp). DocumentBuilder::build() checks every document with it.
std::string document_within_limits(const Xapian::Document& doc);

/// The content hash of a trial: stable across runs and sources (ignores where it was read
/// from), so re-reading an unchanged record is detected cheaply.
std::string content_hash(const Trial& trial);

/// The unique id term of an NCT id ("NCT05869955" -> "Qnct05869955").
std::string id_term(std::string_view nct_id);

/// The NCT id an id term was made from (id_term's inverse).
std::string nct_id_of_term(std::string_view id_term);

}  // namespace trialsearch
