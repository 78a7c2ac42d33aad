#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/hashing.hpp"

namespace mrtbb {

/// One thread's folded values of a job with std::string keys: CountTable's layout for any value
/// type. An open-addressing table (linear probing, at most 70% full) whose slots hold keys of up to
/// 16 bytes inline, packed, beside their value, so a lookup costs one cache miss, not the two or
/// three of a node or flat map of std::string (metadata, entry, key bytes); longer keys are copied
/// once into an arena. Once the table outgrows the caches, the emitter prefetches each key's slot
/// and folds it a few emits later, so the misses of consecutive keys overlap: values are then
/// folded out of emission order, which a combiner (associative and commutative) allows.
template <std::default_initializable V, FoldFunction<V> Combine>
class InlineKeyTable {
  struct Slot {
    PackedKey key;  // short keys: the packed bytes; long keys: arena offset (head) and hash (tail)
    std::uint32_t size_plus_one = 0;  // 0 marks an empty slot
    V value{};
  };

 public:
  using key_type = std::string;
  using mapped_type = V;
  using hasher = WordHash;
  using key_equal = StringEqual;

  class Emitter {
   public:
    explicit Emitter(InlineKeyTable& table) noexcept : table_(&table) {}
    Emitter(const Emitter&) = delete;
    Emitter& operator=(const Emitter&) = delete;

    void emit(std::string_view key, V value) {
      ++table_->emitted_;
      if (key.size() > PackedKey::max_size || !table_->outgrew_caches()) {
        table_->fold(key, std::move(value));
        return;
      }
      if (pending_ == lag) fold_oldest();
      Pending& slot = ring_[(first_ + pending_) % lag];
      slot.key = PackedKey::pack(key);
      slot.size = static_cast<std::uint32_t>(key.size());
      slot.hash = slot.key.hash(key.size(), table_->hasher_.seed);
      slot.value = std::move(value);
      table_->prefetch(slot.hash);
      ++pending_;
    }

    /// Folds what is still pending: the job calls it when a piece is mapped.
    void flush() {
      while (pending_ != 0)
        fold_oldest();
    }

   private:
    static constexpr std::size_t lag = 16;
    struct Pending {
      PackedKey key;
      std::uint32_t size = 0;
      std::uint64_t hash = 0;
      V value{};
    };

    void fold_oldest() {
      Pending& oldest = ring_[first_];
      table_->fold_short(oldest.key, oldest.size, oldest.hash, std::move(oldest.value));
      first_ = (first_ + 1) % lag;
      --pending_;
    }

    InlineKeyTable* table_;
    std::array<Pending, lag> ring_{};
    std::size_t first_ = 0;
    std::size_t pending_ = 0;
  };

  explicit InlineKeyTable(Combine& combine) : combine_(&combine), slots_(initial_capacity) {}

  Emitter emitter(std::uint64_t /*chunk*/) noexcept { return Emitter(*this); }

  /// Folds every pair of `staging` into this table and empties it.
  void absorb(InlineKeyTable& staging) {
    staging.for_each_slot([&](std::string_view key, V& value) { fold(key, std::move(value)); });
    emitted_ += staging.emitted_;
    staging.clear();
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::uint64_t emitted() const noexcept { return emitted_; }
  hasher hash_function() const noexcept { return hasher_; }

  void clear() {
    emitted_ = 0;
    if (size_ == 0) return;
    std::vector<Slot>(initial_capacity).swap(slots_);
    arena_.clear();
    size_ = 0;
  }

  /// Hands every (key, value) to visit(std::string&&, V&&), then empties the table.
  template <class Visitor>
  void drain(Visitor&& visit) {
    for_each_slot(
        [&](std::string_view key, V& value) { visit(std::string(key), std::move(value)); });
    clear();
  }

 private:
  static constexpr std::size_t initial_capacity = 1024;
  static constexpr std::size_t max_key_size = 0xFFFFFFFFu;
  // As CountTable's: below this the hot slots stay in cache and deferring folds only costs.
  static constexpr std::size_t prefetch_above_bytes = 8 << 20;

  bool outgrew_caches() const noexcept {
    return slots_.size() * sizeof(Slot) >= prefetch_above_bytes;
  }

  // The whole slot: with a large value it spans two cache lines.
  void prefetch(std::uint64_t hash) const noexcept {
    const Slot* slot = &slots_[hash & (slots_.size() - 1)];
    __builtin_prefetch(slot);
    __builtin_prefetch(reinterpret_cast<const char*>(slot + 1) - 1);
  }

  template <class Visitor>
  void for_each_slot(Visitor&& visit) {
    char buffer[PackedKey::max_size];
    for (Slot& slot : slots_) {
      if (slot.size_plus_one == 0) continue;
      visit(key_of(slot, buffer), slot.value);
    }
  }

  void fold(std::string_view key, V&& value) {
    if (key.size() <= PackedKey::max_size) {
      const PackedKey packed = PackedKey::pack(key);
      fold_short(packed, static_cast<std::uint32_t>(key.size()),
                 packed.hash(key.size(), hasher_.seed), std::move(value));
    } else {
      fold_long(key, std::move(value));
    }
  }

  void fold_short(const PackedKey& packed, std::uint32_t n, std::uint64_t hash, V&& value) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (((slot.key.head ^ packed.head) | (slot.key.tail ^ packed.tail) |
           (slot.size_plus_one ^ (n + 1))) == 0) {
        combine(slot.value, std::move(value));
        return;
      }
      if (slot.size_plus_one == 0) {
        slot.key = packed;
        slot.size_plus_one = n + 1;
        slot.value = std::move(value);
        inserted();
        return;
      }
    }
  }

  void fold_long(std::string_view key, V&& value) {
    if (key.size() >= max_key_size)
      throw std::length_error("a key of 4 GiB or more cannot be kept");
    const auto n = static_cast<std::uint32_t>(key.size());
    const std::uint64_t hash = hasher_(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.size_plus_one == n + 1 && slot.key.tail == hash && long_key(slot) == key) {
        combine(slot.value, std::move(value));
        return;
      }
      if (slot.size_plus_one == 0) {
        slot.key = {arena_.size(), hash};
        arena_.insert(arena_.end(), key.begin(), key.end());
        slot.size_plus_one = n + 1;
        slot.value = std::move(value);
        inserted();
        return;
      }
    }
  }

  void combine(V& into, V&& value) {
    call_callback("the job's combiner", [&] { fold_into(*combine_, into, std::move(value)); });
  }

  std::string_view long_key(const Slot& slot) const noexcept {
    return {arena_.data() + slot.key.head, slot.size_plus_one - 1u};
  }

  std::string_view key_of(const Slot& slot, char* buffer) const noexcept {
    const std::size_t n = slot.size_plus_one - 1u;
    if (n > PackedKey::max_size) return long_key(slot);
    slot.key.unpack(n, buffer);
    return {buffer, n};
  }

  void inserted() {
    if (++size_ * 10 > slots_.size() * 7) grow();
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (Slot& slot : old) {
      if (slot.size_plus_one == 0) continue;
      const std::size_t n = slot.size_plus_one - 1u;
      const std::uint64_t hash =
          n <= PackedKey::max_size ? slot.key.hash(n, hasher_.seed) : slot.key.tail;
      std::size_t i = hash & mask;
      while (slots_[i].size_plus_one != 0)
        i = (i + 1) & mask;
      slots_[i] = std::move(slot);
    }
  }

  Combine* combine_;
  WordHash hasher_;
  std::vector<Slot> slots_;
  std::vector<char> arena_;
  std::size_t size_ = 0;
  std::uint64_t emitted_ = 0;
};

}  // namespace mrtbb
