#pragma once

// Generated text for the word rules' differential tests: every script and kind of space the rules
// treat differently, broken UTF-8, comment lines for skip prefixes, and mostly-ASCII text that
// exercises the 64-byte fast path.

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mrtbb::testing {

// Multi-script text with broken UTF-8, odd spaces, punctuation, capitals and comment lines.
inline std::string multi_script_text(std::uint32_t seed, std::size_t pieces) {
  static const std::vector<std::string> parts = {"word",
                                                 "Word",
                                                 "WORD",
                                                 "καλημέρα",
                                                 "ΣΟΦΊΑ",
                                                 "Привет",
                                                 "שלום",
                                                 "مرحبا",
                                                 "नमस्ते",
                                                 "日本語",
                                                 "한국어",
                                                 "e\xcc\x81",
                                                 "naïve",
                                                 "don't",
                                                 "x2y",
                                                 "a-b",
                                                 "\xf0\x9f\x98\x80",
                                                 "\xe2\x80\x9cq\xe2\x80\x9d",
                                                 "\xc0\xaf",
                                                 "\xe6\x97",
                                                 "\x80",
                                                 "\xed\xa0\x80",
                                                 "\xf4\x90\x80\x80",
                                                 "\xff",
                                                 std::string("\0", 1),
                                                 " ",
                                                 " ",
                                                 " ",
                                                 "\t",
                                                 "\n",
                                                 "\r\n",
                                                 "\xc2\xa0",
                                                 "\xe3\x80\x80",
                                                 "\f",
                                                 "\v",
                                                 ".. ",
                                                 "\n.. ",
                                                 "\n  .. ",
                                                 "see also: ",
                                                 "\n see also:",
                                                 "\n" + std::string(300, ' ') + ".. ",
                                                 "\n\t\xe3\x80\x80\xe3\x80\x80 see also:",
                                                 std::string(40, '\0'),
                                                 "0123456789",
                                                 ",",
                                                 "!",
                                                 "'",
                                                 "İ",
                                                 "ǅ",
                                                 "ß"};
  std::mt19937 rng(seed);
  std::string text;
  for (std::size_t i = 0; i < pieces; ++i)
    text += parts[rng() % parts.size()];
  return text;
}

// Mostly ASCII text, as most input is, so that the 64-byte fast path meets every ASCII byte value,
// words longer than a block, and a non-ASCII character now and then (one piece in `rare`) that
// sends a stretch to the UTF-8 path.
inline std::string mostly_ascii_text(std::uint32_t seed, std::size_t pieces, std::size_t rare) {
  static const std::vector<std::string> non_ascii = {
      "é", "naïve", "\xe2\x80\x9c", "\xc2\xa0", "日本", "\xff", "\x80x", "e\xcc\x81", "İ"};
  std::mt19937 rng(seed);
  std::string text;
  for (std::size_t i = 0; i < pieces; ++i) {
    const auto dice = rng() % 100;
    if (rare != 0 && rng() % rare == 0) {
      text += non_ascii[rng() % non_ascii.size()];
    } else if (dice < 60) {
      const std::size_t length = rng() % 13 == 0 ? 60 + rng() % 150 : 1 + rng() % 9;
      for (std::size_t k = 0; k < length; ++k) {
        const char letter = static_cast<char>('a' + rng() % 26);
        text += rng() % 4 == 0 ? static_cast<char>(letter - 32) : letter;
      }
    } else if (dice < 85) {
      text += " \n\t\r\f\v"[rng() % 6];
    } else {
      text += static_cast<char>(rng() % 128);  // any ASCII byte: digits, punctuation, controls
    }
  }
  return text;
}

// Text in one non-Latin script at a time, as real Russian, Greek or Chinese text is: long runs of
// two- or three-byte letters with capitals, words longer than a 64-byte block, marks, the few
// letters whose lowercase has another UTF-8 length (U+0130, U+023A, U+2126, U+212A, U+1E9E), a
// four-byte capital, and now and then ASCII, broken UTF-8 or an odd separator inside a run, so
// that the UTF-8 path's table lookups, in-place lowercasing and batching meet every case.
inline std::string script_runs_text(std::uint32_t seed, std::size_t pieces) {
  static const std::vector<std::vector<std::string>> scripts = {
      {"Москва", "москва", "МОСКВА", "ёлка", "Ёлка", "Ѐ", "ѝ", "ДОМ", "дом", "Ӂ", "ԱԲԳ", "աբգ"},
      {"Σοφία", "ΣΟΦΊΑ", "σοφία", "ς", "ἈΘῆναι", "ᾼ", "ΐ", "Ω", "α\xcc\x81", "ϴ", "Ϗ"},
      {"中文", "日本語", "汉字", "한국어", "カタカナ", "ひらがな", "\xe3\x80\x81", "\xe3\x80\x82",
       "\xef\xbc\x8c", "\xe3\x80\x80", "\xef\xbc\xa1", "\xef\xbd\x81", "\xea\xb0\x80"}};
  static const std::vector<std::string> anywhere = {" ",
                                                    " ",
                                                    "\n",
                                                    ",",
                                                    "x",
                                                    "Word",
                                                    "7",
                                                    "\xc2\xa0",
                                                    "\xe2\x80\x94",
                                                    "\xc4\xb0",      // U+0130, lowercases to i
                                                    "\xc8\xba",      // U+023A, to a 3-byte letter
                                                    "\xe2\x84\xa6",  // U+2126 OHM SIGN, to ω
                                                    "\xe2\x84\xaa",  // U+212A KELVIN SIGN, to k
                                                    "\xe1\xba\x9e",  // U+1E9E, to ß
                                                    "\xf0\x90\x90\x80",  // U+10400, to U+10428
                                                    "\xcc\x81",
                                                    "\xd0",
                                                    "\xe4\xb8",
                                                    "\xe0\x80\xaf",
                                                    "\xed\xa0\x80",
                                                    "\x80",
                                                    "\xff"};
  std::mt19937 rng(seed);
  std::string text;
  const std::vector<std::string>* script = &scripts[0];
  for (std::size_t i = 0; i < pieces; ++i) {
    const auto dice = rng() % 100;
    if (dice < 2) {
      script = &scripts[rng() % scripts.size()];
    } else if (dice < 5) {
      const std::string& letter = (*script)[rng() % script->size()];
      for (std::size_t k = 40 + rng() % 40; k > 0; --k)
        text += letter;  // a word over a block long
    } else if (dice < 75) {
      text += (*script)[rng() % script->size()];
    } else if (dice < 92) {
      text += " ";
    } else {
      text += anywhere[rng() % anywhere.size()];
    }
  }
  return text;
}

}  // namespace mrtbb::testing
