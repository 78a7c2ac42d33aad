"""Baseline for the comparison script: the seed's approach in Python, map -> partition -> reduce
over a multiprocessing.Pool, as the SimpleMapReduce example does it. Same word rule as
`wordcount --tokenizer whitespace` (split on ASCII whitespace, A-Z lowercased).

usage: seed_wordcount.py WORKERS FILE...
"""

import collections
import itertools
import multiprocessing
import sys

LOWER_ASCII = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")



def words_of_lines(lines):
    """Map over a chunk of lines."""
    return [(word, 1) for line in lines for word in line.translate(LOWER_ASCII).split()]


def total(item):
    """Reduce: one word and all its ones."""
    word, ones = item
    return word, sum(ones)


def main():
    workers = int(sys.argv[1])
    lines = []
    for path in sys.argv[2:]:
        with open(path, "rb") as handle:
            lines.extend(handle.readlines())
    chunk = max(1, len(lines) // (4 * workers))
    chunks = [lines[i : i + chunk] for i in range(0, len(lines), chunk)]
    with multiprocessing.Pool(workers) as pool:
        mapped = pool.map(words_of_lines, chunks)
        groups = collections.defaultdict(list)
        for word, one in itertools.chain.from_iterable(mapped):
            groups[word].append(one)
        reduced = pool.map(total, groups.items(), chunksize=1000)
    reduced.sort(key=lambda item: (-item[1], item[0]))
    out = sys.stdout.buffer
    for word, count in reduced:
        out.write(b"%d %s\n" % (count, word))


if __name__ == "__main__":
    main()
