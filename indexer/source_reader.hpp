/// @brief Reads every source a user can name (files, folders, zip archives, stdin), detects each
/// input's format by content and dispatches to the format readers.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/trial_sink.hpp"

namespace trialsearch {

/// What a reading pass saw.
struct ReadCounts {
  std::uint64_t inputs = 0;  ///< files and archive entries examined
  std::uint64_t bytes = 0;   ///< bytes of input read
  /// Inputs that could not be read whole (missing, unreadable files or folders, a corrupt or
  /// truncated archive, NDJSON cut mid-line): trials in them may be missing, so a --snapshot
  /// must not remove what it did not see.
  std::uint64_t input_errors = 0;
  /// When set, advanced as input is consumed (compressed bytes for archives), for progress.
  std::atomic<std::uint64_t>* consumed = nullptr;
};

/// Input formats, as detected from content (never from the file name).
enum class InputFormat { JsonV2, Ndjson, Xml, PageText, Zip, Unknown };

/// Detects the format of an input from its first bytes and, for NDJSON, its first three
/// non-blank lines (`head` must hold them whole: read_sources reads that far).
InputFormat detect_format(std::string_view head);

/// Reads each source: a file, a folder (recursively, in sorted order, leaving out hidden
/// files and Markdown notes; a symbolic link is followed only to a file inside the folder, one
/// pointing out of it is skipped with a message), a zip archive (each entry by content), or "-"
/// for NDJSON on standard input. NDJSON is recognised from its first whole lines, read by line
/// (streamed, never loaded whole, never rewound: pipes work), a byte order mark ignored, and a
/// bad line skipped with its number. Unreadable sources, folders and entries, and an NDJSON
/// input whose last line is cut short, are reported through sink.skipped() and counted in
/// input_errors; nothing throws for bad input.
/// `consumed`, when given, follows the bytes of the sources read so far (see source_bytes).
ReadCounts read_sources(const std::vector<std::string>& sources, TrialSink& sink,
                        std::atomic<std::uint64_t>* consumed = nullptr);

/// The bytes on disk of `sources` (files, and files in folders: what read_sources will
/// consume), or 0 when unknown (standard input).
std::uint64_t source_bytes(const std::vector<std::string>& sources);

/// Reads one in-memory input of any format (used for archive entries and by the fuzzers).
void read_buffer(std::string_view content, const Origin& origin, TrialSink& sink);

}  // namespace trialsearch
