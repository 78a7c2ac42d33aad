// make-corpus: writes generated benchmark text (see corpus_generator.hpp) to a file, or many small
// files to a directory, or TSV records (--tsv) to a file. Exit status: 0 written, 1 cannot write,
// 2 bad usage.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "corpus_generator.hpp"

namespace {

constexpr int cannot_write = 1;

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "make-corpus: cannot write '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  return true;
}

/// Writes the records in blocks, so that a file of hundreds of megabytes needs a few in memory.
bool write_records(const std::filesystem::path& path, const mrtbb::corpus::RecordSpec& spec) {
  constexpr std::uint64_t rows_per_block = 1 << 16;
  mrtbb::corpus::RecordGenerator generator(spec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string block;
  for (std::uint64_t written = 0; written < spec.rows && out; written += rows_per_block) {
    block.clear();
    generator.append(block, std::min(rows_per_block, spec.rows - written));
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  out.close();
  if (!out) {
    std::fprintf(stderr, "make-corpus: cannot write '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes Zipf-distributed benchmark text, or TSV records with --tsv."};
  mrtbb::corpus::CorpusSpec spec;
  mrtbb::corpus::RecordSpec records;
  bool tsv = false;
  std::string output;
  std::uint64_t files = 0;
  std::uint64_t min_file_size = 1024;
  std::uint64_t max_file_size = 8192;
  app.add_option("-o,--output", output, "file to write (a directory with --files)")->required();
  app.add_option("--bytes", spec.bytes, "size of the text, e.g. 500M (ignored with --files)")
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--vocabulary", spec.vocabulary, "distinct words to draw from")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option("--zipf", spec.zipf_exponent, "Zipf exponent s (frequency of rank r ~ r^-s)")
      ->check(CLI::Range(0.0, 10.0));
  app.add_flag("--multi-script", spec.multi_script,
               "words in Latin, Greek, Cyrillic, Devanagari and CJK letters");
  app.add_flag("--one-line", spec.one_line, "no line breaks: the whole text is one line");
  app.add_option("--files", files, "write this many small files into the output directory");
  app.add_option("--min-file-size", min_file_size, "smallest file with --files (default 1K)")
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--max-file-size", max_file_size, "largest file with --files (default 8K)")
      ->transform(CLI::AsSizeValue(false));
  app.add_flag("--tsv", tsv, "write key<TAB>value records instead of text (see --rows, --keys)");
  app.add_option("--rows", records.rows, "records to write with --tsv");
  app.add_option("--keys", records.keys, "distinct keys to draw from with --tsv")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option("--seed", spec.seed, "random seed; the same seed gives the same output");
  CLI11_PARSE(app, argc, argv);
  if (tsv) {
    if (files != 0) {
      std::fprintf(stderr, "make-corpus: --tsv writes one file; it cannot go with --files\n");
      return 2;
    }
    records.zipf_exponent = spec.zipf_exponent;
    records.multi_script = spec.multi_script;
    records.seed = spec.seed;
    return write_records(output, records) ? 0 : cannot_write;
  }
  if (min_file_size == 0 || min_file_size > max_file_size) {
    std::fprintf(stderr, "make-corpus: --min-file-size must be between 1 and --max-file-size\n");
    return 2;
  }

  mrtbb::corpus::TextGenerator generator(spec);
  std::string text;
  if (files == 0) {
    generator.append(text, spec.bytes);
    return write_file(output, text) ? 0 : cannot_write;
  }
  std::error_code error;
  std::filesystem::create_directories(output, error);
  if (error) {
    std::fprintf(stderr, "make-corpus: cannot create '%s': %s\n", output.c_str(),
                 error.message().c_str());
    return cannot_write;
  }
  std::mt19937_64 sizes(spec.seed);
  std::uniform_int_distribution<std::uint64_t> size(min_file_size, max_file_size);
  for (std::uint64_t i = 0; i < files; ++i) {
    text.clear();
    generator.append(text, size(sizes));
    char name[32];
    std::snprintf(name, sizeof name, "%08llu.txt", static_cast<unsigned long long>(i));
    if (!write_file(std::filesystem::path(output) / name, text)) return cannot_write;
  }
  return 0;
}
