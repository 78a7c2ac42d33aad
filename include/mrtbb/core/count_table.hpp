#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/hashing.hpp"

namespace mrtbb {

/// A key of at most 16 bytes held in two machine words: its bytes, zero-padded to 16, loaded as two
/// native words. With the length they identify the key, so comparing needs no memcmp.
struct PackedKey {
  static constexpr std::size_t max_size = 16;
  std::uint64_t head = 0;
  std::uint64_t tail = 0;

  /// Packs the n <= 16 bytes at `p`, which must be followed by 16 - n more readable bytes (a padded
  /// buffer): two loads and two masks, and no branch on the length.
  static PackedKey from_padded(const char* p, std::size_t n) noexcept {
    PackedKey packed;
    std::memcpy(&packed.head, p, 8);
    std::memcpy(&packed.tail, p + 8, 8);
    packed.head &= masks[n].head;
    packed.tail &= masks[n].tail;
    return packed;
  }

  /// Packs any key of at most 16 bytes.
  static PackedKey pack(std::string_view key) noexcept {
    char padded[max_size] = {};
    std::memcpy(padded, key.data(), key.size());
    return from_padded(padded, key.size());
  }

  /// Writes the `n` bytes of the key back to `out`.
  void unpack(std::size_t n, char* out) const noexcept {
    char padded[max_size];
    std::memcpy(padded, &head, 8);
    std::memcpy(padded + 8, &tail, 8);
    std::memcpy(out, padded, n);
  }

  /// One 64x64->128-bit multiply, folded: plenty for a table that compares whole keys anyway. The
  /// seed keys both factors, so which keys collide cannot be worked out without it; HashSeed{}
  /// gives the fixed constants alone.
  std::uint64_t hash(std::size_t n, const HashSeed& seed) const noexcept {
    __extension__ using Wide = unsigned __int128;
    const Wide product = static_cast<Wide>(head ^ seed.head ^ 0x9e3779b97f4a7c15ULL) *
                         (tail ^ seed.tail ^ 0xd6e8feb86659fd93ULL ^ (std::uint64_t{n} << 56));
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
  }

 private:
  struct Masks {
    std::uint64_t head;
    std::uint64_t tail;
  };
  // masks[n] keeps the first n of 16 bytes, whatever the byte order of the machine.
  static constexpr std::array<Masks, max_size + 1> masks = [] {
    std::array<Masks, max_size + 1> table{};
    for (std::size_t n = 0; n <= max_size; ++n) {
      std::array<unsigned char, 8> head_bytes{};
      std::array<unsigned char, 8> tail_bytes{};
      for (std::size_t i = 0; i < n; ++i)
        (i < 8 ? head_bytes[i] : tail_bytes[i - 8]) = 0xFF;
      table[n] = {std::bit_cast<std::uint64_t>(head_bytes),
                  std::bit_cast<std::uint64_t>(tail_bytes)};
    }
    return table;
  }();
};

/// A key of 17 to 32 bytes held in four machine words, zero-padded to 32: two PackedKeys, the
/// first always full. Such keys are most of a Russian or Chinese text's long words (9 to 16
/// Cyrillic letters, 6 to 10 ideographs), so they get a hash and a compare of a few instructions
/// instead of XXH3 and memcmp, which took 17-19% of the time of such text.
struct WideKey {
  static constexpr std::size_t max_size = 2 * PackedKey::max_size;
  PackedKey front;
  PackedKey back;

  /// Packs the n bytes at `p`, 16 < n <= 32, which must be followed by 32 - n more readable bytes.
  static WideKey from_padded(const char* p, std::size_t n) noexcept {
    return {PackedKey::from_padded(p, PackedKey::max_size),
            PackedKey::from_padded(p + PackedKey::max_size, n - PackedKey::max_size)};
  }

  /// Packs any key of 17 to 32 bytes.
  static WideKey pack(std::string_view key) noexcept {
    char padded[max_size] = {};
    std::memcpy(padded, key.data(), key.size());
    return from_padded(padded, key.size());
  }

  /// Two seeded 64x64->128-bit multiplies, one per half, added: independent, so they overlap. The
  /// second is rotated before the add: a plain sum of two products would be the same for two keys
  /// whose halves are swapped and shifted by known constants, whatever the seed.
  [[gnu::always_inline]] std::uint64_t hash(std::size_t n, const HashSeed& seed) const noexcept {
    const HashSeed swapped{seed.tail ^ 0x165667b19e3779f9ULL, seed.head ^ 0x27d4eb2f165667c5ULL};
    return front.hash(n, seed) + std::rotl(back.hash(n, swapped), 29);
  }

  bool operator==(const WideKey& other) const noexcept {
    return ((front.head ^ other.front.head) | (front.tail ^ other.front.tail) |
            (back.head ^ other.back.head) | (back.tail ^ other.back.tail)) == 0;
  }
};

/// The hash of a word as a CountTable computes it: packed keys up to 32 bytes, XXH3 for longer
/// ones, all keyed with the seed (the process's own unless told otherwise). Used again when tables
/// are combined, so that a key lands in the same partition from every thread.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const noexcept {
    if (key.size() <= PackedKey::max_size) return PackedKey::pack(key).hash(key.size(), seed);
    if (key.size() <= WideKey::max_size) return WideKey::pack(key).hash(key.size(), seed);
    return static_cast<std::size_t>(XXH3_64bits_withSeed(key.data(), key.size(), seed.head));
  }
  HashSeed seed = process_hash_seed();
};

/// One thread's word counts: an open-addressing table (linear probing, at most 70% full) whose
/// slots hold short keys inline, so the common lookup touches one cache line, compares two words
/// and allocates nothing; keys longer than 16 bytes are copied once, when first seen, into the
/// table's arena, those of up to 32 bytes as zero-padded 32-byte records that compare as four
/// words. Slots stay 32 bytes, so a table of many short keys (a Zipf vocabulary) is no bigger.
class CountTable {
 public:
  using key_type = std::string;
  using mapped_type = std::uint64_t;
  using hasher = WordHash;
  using key_equal = StringEqual;

  /// A stored key and its count, as the combine moves them from table to table without making a
  /// string of the key. A long key's bytes stay in the arena of the table the slot came from.
  struct Slot {
    PackedKey key;  // up to 16 bytes: the packed key; longer: arena offset (head), hash (tail)
    std::uint32_t size_plus_one = 0;  // 0 marks an empty slot
    std::uint64_t count = 0;
  };

  /// A table keyed with the process's hash seed.
  CountTable() : slots_(initial_capacity) {}
  /// A table keyed with `seed`: HashSeed{} gives the unseeded hash, for benchmarks of crafted
  /// input.
  explicit CountTable(HashSeed seed) : hasher_{seed}, slots_(initial_capacity) {}

  /// Adds `count` to the key's count, inserting the key when it is new.
  void add(std::string_view key, std::uint64_t count = 1) {
    if (key.size() <= PackedKey::max_size) {
      const PackedKey packed = PackedKey::pack(key);
      add_short(key, packed, packed.hash(key.size(), hasher_.seed), count);
    } else if (key.size() <= WideKey::max_size) {
      const WideKey wide = WideKey::pack(key);
      add_wide(key.size(), wide, wide.hash(key.size(), hasher_.seed), count);
    } else {
      add_long(key, hasher_(key), count);
    }
  }

  /// The same, for a key followed in memory by at least 16 more readable bytes (a tokenizer's
  /// padded buffer), so that a key of up to 32 bytes is packed without a copy.
  [[gnu::always_inline]] void add_padded(std::string_view key, std::uint64_t count = 1) {
    if (key.size() <= PackedKey::max_size) {
      const PackedKey packed = PackedKey::from_padded(key.data(), key.size());
      add_short(key, packed, packed.hash(key.size(), hasher_.seed), count);
    } else if (key.size() <= WideKey::max_size) {
      const WideKey wide = WideKey::from_padded(key.data(), key.size());
      add_wide(key.size(), wide, wide.hash(key.size(), hasher_.seed), count);
    } else {
      add_long(key, hasher_(key), count);
    }
  }

  /// add_padded() for each of `keys`. Once the table outgrows the caches, every key is hashed and
  /// its slot prefetched before the first is looked up, so the misses overlap.
  void add_padded_batch(std::span<const std::string_view> keys) {
    if (slots_.size() * sizeof(Slot) < prefetch_above_bytes) {
      for (const std::string_view key : keys)
        add_padded(key);
      return;
    }
    constexpr std::size_t batch = 16;
    PackedKey packed[batch];
    std::uint64_t hashes[batch];
    for (std::size_t first = 0; first < keys.size(); first += batch) {
      const std::size_t count = std::min(batch, keys.size() - first);
      const std::size_t mask = slots_.size() - 1;
      for (std::size_t k = 0; k < count; ++k) {
        const std::string_view key = keys[first + k];
        if (key.size() <= PackedKey::max_size) {
          packed[k] = PackedKey::from_padded(key.data(), key.size());
          hashes[k] = packed[k].hash(key.size(), hasher_.seed);
        } else if (key.size() <= WideKey::max_size) {
          hashes[k] = WideKey::from_padded(key.data(), key.size()).hash(key.size(), hasher_.seed);
        } else {
          hashes[k] = hasher_(key);
        }
        __builtin_prefetch(&slots_[home(hashes[k], mask)]);
      }
      for (std::size_t k = 0; k < count; ++k) {
        const std::string_view key = keys[first + k];
        if (key.size() <= PackedKey::max_size) {
          add_short(key, packed[k], hashes[k], 1);
        } else if (key.size() <= WideKey::max_size) {
          add_wide(key.size(), WideKey::from_padded(key.data(), key.size()), hashes[k], 1);
        } else {
          add_long(key, hashes[k], 1);
        }
      }
    }
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  hasher hash_function() const noexcept { return hasher_; }

  void clear() {
    if (size_ == 0) return;
    for (Slot& slot : slots_)
      slot = Slot{};
    arena_.clear();
    size_ = 0;
  }

  /// Calls visit(std::string_view key, std::uint64_t count) for every key, in no set order.
  template <class Visitor>
  void for_each(Visitor&& visit) const {
    char buffer[PackedKey::max_size];
    for (const Slot& slot : slots_) {
      if (slot.size_plus_one == 0) continue;
      visit(key_of(slot, buffer), slot.count);
    }
  }

  /// Adds every count of `staging` to this table and empties it.
  void absorb(CountTable& staging) {
    staging.for_each([&](std::string_view key, std::uint64_t count) { add(key, count); });
    staging.clear();
  }

  /// Room for `keys` keys without growing.
  void reserve(std::size_t keys) {
    std::size_t capacity = slots_.size();
    while (keys * 10 > capacity * 7)
      capacity *= 2;
    if (capacity != slots_.size()) rehash(capacity);
  }

  /// Moves every key into slots_by_partition[partition_of(hash, partitions)], hashed as
  /// `partition_hasher` hashes (a long key's slot then holds that hash), and gives back the slot
  /// array. The table is left empty but keeps the bytes of its long keys, which the moved slots
  /// refer to, until release(). Each list is sized exactly, by a first pass that counts.
  std::vector<std::vector<Slot>> take_slots_by_partition(std::size_t partitions,
                                                         const WordHash& partition_hasher) {
    const bool same_seed = partition_hasher.seed.head == hasher_.seed.head &&
                           partition_hasher.seed.tail == hasher_.seed.tail;
    const auto hash_under = [&](const Slot& slot) -> std::uint64_t {
      const std::size_t n = slot.size_plus_one - 1u;
      if (n <= PackedKey::max_size) return slot.key.hash(n, partition_hasher.seed);
      return same_seed ? slot.key.tail : partition_hasher(long_key(slot));
    };
    std::vector<std::size_t> sizes(partitions, 0);
    for (const Slot& slot : slots_) {
      if (slot.size_plus_one != 0) ++sizes[partition_of(hash_under(slot), partitions)];
    }
    std::vector<std::vector<Slot>> lists(partitions);
    for (std::size_t p = 0; p < partitions; ++p)
      lists[p].reserve(sizes[p]);
    for (const Slot& slot : slots_) {
      if (slot.size_plus_one == 0) continue;
      const std::uint64_t hash = hash_under(slot);
      Slot& moved = lists[partition_of(hash, partitions)].emplace_back(slot);
      if (slot.size_plus_one - 1u > PackedKey::max_size) moved.key.tail = hash;
    }
    std::vector<Slot>(initial_capacity).swap(slots_);
    size_ = 0;
    return lists;
  }

  /// Folds `slots`, taken from `source` by take_slots_by_partition() with this table's hasher, into
  /// this table: a key new here is copied in, the count of one already here folded with
  /// merge(std::uint64_t& into, std::uint64_t&& from). Misses overlap as in add_padded_batch().
  template <FoldFunction<std::uint64_t> Merge>
  void merge_slots(std::span<const Slot> slots, const CountTable& source, Merge& merge) {
    constexpr std::size_t batch = 16;
    std::uint64_t hashes[batch];
    for (std::size_t first = 0; first < slots.size(); first += batch) {
      const std::size_t count = std::min(batch, slots.size() - first);
      const std::size_t mask = slots_.size() - 1;
      for (std::size_t k = 0; k < count; ++k) {
        const Slot& slot = slots[first + k];
        const std::size_t n = slot.size_plus_one - 1u;
        hashes[k] = n <= PackedKey::max_size ? slot.key.hash(n, hasher_.seed) : slot.key.tail;
        __builtin_prefetch(&slots_[home(hashes[k], mask)]);
      }
      for (std::size_t k = 0; k < count; ++k)
        merge_slot(slots[first + k], hashes[k], source, merge);
    }
  }

  /// Empties the table and gives back its memory, the bytes of long keys included.
  void release() {
    std::vector<Slot>(initial_capacity).swap(slots_);
    std::vector<char>().swap(arena_);
    size_ = 0;
  }

  /// Hands every (key, count) to visit(std::string&&, std::uint64_t&&), then empties the table.
  template <class Visitor>
  void drain(Visitor&& visit) {
    for_each([&](std::string_view key, std::uint64_t count) { visit(std::string(key), +count); });
    clear();
  }

 private:
  static constexpr std::size_t initial_capacity = 1024;
  static constexpr std::size_t max_key_size = 0xFFFFFFFFu;
  // Below this (a core's L2 on the development machine) the slots stay in cache and prefetching
  // only costs (kjvbible x10's tables are 1 MiB); above it misses dominate: overlapping them halves
  // the map phase of a Zipf text, and takes 8-10% off the CPU time of ru.txt and zh.txt, whose
  // tables are 4 MiB (see docs/tokenizers.md).
  static constexpr std::size_t prefetch_above_bytes = 2 << 20;

  // The per-word paths are forced inline into add_padded_batch's loops (GCC otherwise leaves them
  // out of line once there are three, adding a third of the instructions on kjvbible); keys over
  // 32 bytes are rare and take a call.
  [[gnu::always_inline]] void add_short(std::string_view key, const PackedKey& packed,
                                        std::uint64_t hash, std::uint64_t count) {
    const auto n = static_cast<std::uint32_t>(key.size());
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(hash, mask);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (((slot.key.head ^ packed.head) | (slot.key.tail ^ packed.tail) |
           (slot.size_plus_one ^ (n + 1))) == 0) {
        slot.count += count;
        return;
      }
      if (slot.size_plus_one == 0) {
        occupy(slot, packed, n, count);
        return;
      }
    }
  }

  [[gnu::always_inline]] void add_wide(std::size_t size, const WideKey& wide, std::uint64_t hash,
                                       std::uint64_t count) {
    const auto n = static_cast<std::uint32_t>(size);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(hash, mask);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.size_plus_one == n + 1 && slot.key.tail == hash && wide_key(slot) == wide) {
        slot.count += count;
        return;
      }
      if (slot.size_plus_one == 0) {
        occupy(slot, {append_wide(wide), hash}, n, count);
        return;
      }
    }
  }

  [[gnu::noinline]] void add_long(std::string_view key, std::uint64_t hash, std::uint64_t count) {
    if (key.size() >= max_key_size) {
      throw std::length_error("a key of 4 GiB or more cannot be counted");
    }
    const auto n = static_cast<std::uint32_t>(key.size());
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(hash, mask);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.size_plus_one == n + 1 && slot.key.tail == hash && long_key(slot) == key) {
        slot.count += count;
        return;
      }
      if (slot.size_plus_one == 0) {
        const std::uint64_t offset = arena_.size();
        arena_.insert(arena_.end(), key.begin(), key.end());
        occupy(slot, {offset, hash}, n, count);
        return;
      }
    }
  }

  std::string_view long_key(const Slot& slot) const noexcept {
    return {arena_.data() + slot.key.head, slot.size_plus_one - 1u};
  }

  // The 32-byte record of a key of 17 to 32 bytes.
  WideKey wide_key(const Slot& slot) const noexcept {
    return WideKey::from_padded(arena_.data() + slot.key.head, WideKey::max_size);
  }

  // Appends the record of a key of 17 to 32 bytes to the arena and gives its offset.
  std::uint64_t append_wide(const WideKey& wide) {
    const std::size_t offset = arena_.size();
    arena_.resize(offset + WideKey::max_size);
    std::memcpy(arena_.data() + offset, &wide.front.head, 8);
    std::memcpy(arena_.data() + offset + 8, &wide.front.tail, 8);
    std::memcpy(arena_.data() + offset + 16, &wide.back.head, 8);
    std::memcpy(arena_.data() + offset + 24, &wide.back.tail, 8);
    return offset;
  }

  std::string_view key_of(const Slot& slot, char* buffer) const noexcept {
    const std::size_t n = slot.size_plus_one - 1u;
    if (n > PackedKey::max_size) return long_key(slot);
    slot.key.unpack(n, buffer);
    return {buffer, n};
  }

  // Fills an empty slot and grows the table when it gets too full, which moves the slot.
  void occupy(Slot& slot, const PackedKey& key, std::uint32_t size, std::uint64_t count) {
    slot.key = key;
    slot.size_plus_one = size + 1;
    slot.count = count;
    if (++size_ * 10 > slots_.size() * 7) grow();
  }

  // A key's first slot. The high half is folded in because the combine's partition tables hold
  // only keys whose bits from 8 up (partition_of) are the same: from the low bits alone, all their
  // keys would start in one slot of every 2^k and probe long runs.
  static std::size_t home(std::uint64_t hash, std::size_t mask) noexcept {
    return static_cast<std::size_t>(hash ^ (hash >> 32)) & mask;
  }

  template <class Merge>
  void merge_slot(const Slot& from, std::uint64_t hash, const CountTable& source, Merge& merge) {
    const std::size_t n = from.size_plus_one - 1u;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(hash, mask);; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.size_plus_one == 0) {
        slot = from;
        if (n > WideKey::max_size) {
          const std::string_view key = source.long_key(from);
          slot.key.head = arena_.size();
          arena_.insert(arena_.end(), key.begin(), key.end());
        } else if (n > PackedKey::max_size) {
          slot.key.head = append_wide(source.wide_key(from));
        }
        if (++size_ * 10 > slots_.size() * 7) grow();
        return;
      }
      if (slot.size_plus_one != from.size_plus_one) continue;
      const bool same =
          n <= PackedKey::max_size
              ? ((slot.key.head ^ from.key.head) | (slot.key.tail ^ from.key.tail)) == 0
          : n <= WideKey::max_size
              ? slot.key.tail == hash && wide_key(slot) == source.wide_key(from)
              : slot.key.tail == hash && long_key(slot) == source.long_key(from);
      if (same) {
        fold_into(merge, slot.count, std::uint64_t{from.count});
        return;
      }
    }
  }

  void grow() { rehash(slots_.size() * 2); }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.size_plus_one == 0) continue;
      const std::size_t n = slot.size_plus_one - 1u;
      const std::uint64_t hash =
          n <= PackedKey::max_size ? slot.key.hash(n, hasher_.seed) : slot.key.tail;
      std::size_t i = home(hash, mask);
      while (slots_[i].size_plus_one != 0)
        i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  WordHash hasher_;
  std::vector<Slot> slots_;
  std::vector<char> arena_;
  std::size_t size_ = 0;
};

/// What a text job's map function emits into. A count is a single counter per key per thread (a
/// combiner), not a list of ones, so memory follows the distinct keys rather than the input.
class CountEmitter {
 public:
  explicit CountEmitter(CountTable& table) noexcept : table_(&table) {}

  void emit(std::string_view key, std::uint64_t count = 1) { table_->add(key, count); }

  /// emit() for a key followed in memory by at least 16 more readable bytes past its end (a padded
  /// buffer), so that a key of up to 32 bytes is packed without a copy.
  void emit_padded(std::string_view key, std::uint64_t count = 1) {
    table_->add_padded(key, count);
  }

  /// emit_padded() once for each of `keys`, each with the same 16 readable bytes past its end.
  void emit_padded_batch(std::span<const std::string_view> keys) { table_->add_padded_batch(keys); }

 private:
  CountTable* table_;
};

}  // namespace mrtbb
