/* Peer of the comparison scripts: the single-threaded word counter a C programmer tunes by hand, the
 * kind the countwords benchmark calls "optimized". Same rule as `wordcount --tokenizer whitespace`:
 * words are runs of bytes other than ASCII whitespace, A-Z lowercased while the text is scanned.
 * Words are hashed (FNV-1a) as they are scanned and counted in one open-addressing table (linear
 * probing) whose slots point into an arena of word bytes; the table doubles past 70% full.
 * Output: "count word" lines, most frequent first (ties in byte order).
 *
 * usage: baseline_hand_tuned [--slots N] FILE...   (N: initial slots, a power of two; 65536 by
 * default; the Zipf comparison gives 16777216 so that the table never grows)
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  const char* word; /* NULL: empty slot */
  uint64_t count;
  uint32_t length;
  uint32_t hash;
} Slot;

static Slot* slots;
static size_t slot_count;
static size_t used;

/* Word bytes live in blocks of at least 1 MiB that are never moved, so slots can point into them. */
static char* arena;
static size_t arena_left;

enum { read_size = 1 << 16, max_word = 1 << 20 };

static void* checked(void* p) {
  if (p == NULL) {
    fprintf(stderr, "baseline_hand_tuned: out of memory\n");
    exit(1);
  }
  return p;
}

static const char* keep(const char* word, size_t length) {
  if (length > arena_left) {
    const size_t block = length > (1u << 20) ? length : (1u << 20);
    arena = checked(malloc(block));
    arena_left = block;
  }
  char* kept = arena;
  memcpy(kept, word, length);
  arena += length;
  arena_left -= length;
  return kept;
}

static void grow(void) {
  Slot* old = slots;
  const size_t old_count = slot_count;
  slot_count *= 2;
  slots = checked(calloc(slot_count, sizeof(Slot)));
  for (size_t i = 0; i < old_count; ++i) {
    if (old[i].word == NULL) continue;
    size_t at = old[i].hash & (slot_count - 1);
    while (slots[at].word != NULL)
      at = (at + 1) & (slot_count - 1);
    slots[at] = old[i];
  }
  free(old);
}

static void count(const char* word, size_t length, uint32_t hash) {
  size_t at = hash & (slot_count - 1);
  for (;;) {
    Slot* slot = &slots[at];
    if (slot->word == NULL) {
      slot->word = keep(word, length);
      slot->length = (uint32_t)length;
      slot->hash = hash;
      slot->count = 1;
      if (++used * 10 > slot_count * 7) grow();
      return;
    }
    if (slot->hash == hash && slot->length == length && memcmp(slot->word, word, length) == 0) {
      ++slot->count;
      return;
    }
    at = (at + 1) & (slot_count - 1);
  }
}

static int count_file(const char* path) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "baseline_hand_tuned: cannot read '%s': %s\n", path, strerror(errno));
    return 1;
  }
  /* The word in progress is lowercased into `word` while its hash is computed. */
  static char buffer[read_size];
  static char word[max_word];
  size_t length = 0;
  uint32_t hash = 2166136261u;
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "baseline_hand_tuned: cannot read '%s': %s\n", path, strerror(errno));
      close(fd);
      return 1;
    }
    if (got == 0) break;
    for (ssize_t i = 0; i < got; ++i) {
      unsigned char c = (unsigned char)buffer[i];
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        if (length > 0) count(word, length, hash);
        length = 0;
        hash = 2166136261u;
        continue;
      }
      if (c >= 'A' && c <= 'Z') c = (unsigned char)(c | 0x20);
      if (length == max_word) {
        fprintf(stderr, "baseline_hand_tuned: a word of '%s' is over %d bytes\n", path, max_word);
        close(fd);
        return 1;
      }
      word[length++] = (char)c;
      hash = (hash ^ c) * 16777619u;
    }
  }
  if (length > 0) count(word, length, hash);
  close(fd);
  return 0;
}

static int by_count_then_word(const void* a, const void* b) {
  const Slot* x = a;
  const Slot* y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  const size_t shorter = x->length < y->length ? x->length : y->length;
  const int order = memcmp(x->word, y->word, shorter);
  if (order != 0) return order;
  return x->length < y->length ? -1 : x->length > y->length;
}

int main(int argc, char** argv) {
  slot_count = 65536;
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "--slots") == 0) {
    const unsigned long long wanted = strtoull(argv[2], NULL, 10);
    if (wanted < 2 || (wanted & (wanted - 1)) != 0) {
      fprintf(stderr, "baseline_hand_tuned: --slots takes a power of two, not '%s'\n", argv[2]);
      return 2;
    }
    slot_count = (size_t)wanted;
    first = 3;
  }
  slots = checked(calloc(slot_count, sizeof(Slot)));
  for (int i = first; i < argc; ++i) {
    if (count_file(argv[i]) != 0) return 1;
  }
  /* Pack the used slots to the front, sort them, print. */
  size_t n = 0;
  for (size_t i = 0; i < slot_count; ++i) {
    if (slots[i].word != NULL) slots[n++] = slots[i];
  }
  qsort(slots, n, sizeof(Slot), by_count_then_word);
  static char out[1 << 16];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  for (size_t i = 0; i < n; ++i) {
    printf("%llu %.*s\n", (unsigned long long)slots[i].count, (int)slots[i].length, slots[i].word);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}
