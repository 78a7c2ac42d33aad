#!/usr/bin/env python3
"""The pure logic of scripts/compare-performance: medians and ranges, ratios round by round,
targets judged on the median, the load rule, the joined file of the small-files row, and the
group-by section put back into an existing report."""

import importlib.machinery
import importlib.util
import tempfile
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare-performance"
loader = importlib.machinery.SourceFileLoader("compare_performance", str(SCRIPT))
spec = importlib.util.spec_from_loader("compare_performance", loader)
compare = importlib.util.module_from_spec(spec)
loader.exec_module(compare)


class Figures(unittest.TestCase):
    def test_spread_is_median_min_max(self):
        self.assertEqual(compare.spread([3.0, 1.0, 2.0, 10.0]), (2.5, 1.0, 10.0))
        self.assertEqual(compare.spread([4.0]), (4.0, 4.0, 4.0))

    def test_ratios_pair_the_rounds_in_order(self):
        # A slow spell that slows both sides of a round leaves that round's ratio alone.
        self.assertEqual(compare.per_round([1.0, 2.0, 9.0], [1.0, 2.0, 9.0]), [1.0, 1.0, 1.0])
        self.assertEqual(compare.per_round([1.0, 6.0], [2.0, 3.0]), [0.5, 2.0])

    def test_ratios_refuse_unpaired_rounds(self):
        with self.assertRaises(ValueError):
            compare.per_round([1.0, 2.0], [1.0])

    def test_rates_are_megabytes_per_second_of_each_run(self):
        self.assertEqual(compare.rates(100e6, [0.5, 2.0]), [200.0, 50.0])

    def test_cell_shows_the_range_beside_the_median(self):
        self.assertEqual(compare.cell([0.084, 0.080, 0.091], 3, "s"), "0.084 s (0.080-0.091)")
        self.assertEqual(compare.cell([2.0, 1.0], 2, "x"), "1.50x (1.00-2.00)")
        self.assertEqual(compare.cell([7.0], 1, "MiB"), "7.0 MiB (1 run)")

    def test_targets_are_judged_on_the_median(self):
        # One round below the bound does not meet an at-least target whose median is above it.
        row = compare.judged("speed-up", [1.8, 1.95, 2.0], 2, "x", 1.9, at_most=False)
        self.assertEqual(row, ("speed-up", "1.95x", "1.80-2.00x", "yes"))
        row = compare.judged("speed-up", [1.8, 1.85, 2.0], 2, "x", 1.9, at_most=False)
        self.assertEqual(row[3], "no")
        self.assertEqual(compare.judged("time", [0.25, 0.2, 0.3], 2, "x", 0.25, True)[3], "yes")
        self.assertEqual(compare.judged("time", [0.26, 0.2, 0.3], 2, "x", 0.25, True)[3], "no")


class LoadRule(unittest.TestCase):
    def test_own_workers_and_half_the_cores_are_allowed(self):
        # 2 cores, the section runs 2 workers: up to 2 + 0.5 x 2 = 3 is quiet.
        self.assertFalse(compare.under_load(3.0, 2.5, 0.2, own_workers=2, cores=2))
        self.assertTrue(compare.under_load(3.1, 1.0, 0.2, own_workers=2, cores=2))
        self.assertTrue(compare.under_load(1.0, 3.1, 0.2, own_workers=2, cores=2))

    def test_own_workers_count_at_most_the_cores(self):
        # 8 workers on 2 cores keep 2 busy, not 8: a load of 5 is others' work.
        self.assertTrue(compare.under_load(5.0, 5.0, 0.2, own_workers=8, cores=2))
        self.assertFalse(compare.under_load(1.5, 1.5, 0.2, own_workers=1, cores=2))
        self.assertTrue(compare.under_load(2.1, 1.0, 0.2, own_workers=1, cores=2))

    def test_other_processes_cpu_marks_a_section_the_load_average_missed(self):
        # The 1-minute average lags: a short section under a burst shows it in CPU time first.
        self.assertTrue(compare.under_load(0.5, 0.5, 1.1, own_workers=2, cores=2))
        self.assertFalse(compare.under_load(0.5, 0.5, 1.0, own_workers=2, cores=2))


class LoadSummary(unittest.TestCase):
    def test_names_the_marked_sections_the_first_one_included(self):
        report = ("## kjvbible x10\n\n**Measured under load.** Run at 00:00\n\n"
                  "## Zipf\n\nRun at 00:01; quiet\n\n"
                  "## Group-by\n\n**Measured under load.** Run at 00:02\n")
        self.assertEqual(compare.load_summary(report),
                         "Sections measured under load: kjvbible x10, Group-by.")

    def test_a_quiet_run_says_so(self):
        self.assertEqual(compare.load_summary("# Performance\n\n## Zipf\n\nRun at 00:01\n"),
                         "No section was measured under load.")


class SmallFiles(unittest.TestCase):
    def test_joined_file_holds_the_same_bytes_in_name_order(self):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            files = work / "files"
            (files / "sub").mkdir(parents=True)
            (files / "b.txt").write_bytes(b"bravo\n")
            (files / "a.txt").write_bytes(b"alpha")
            (files / "sub" / "c.txt").write_bytes(b" charlie\n")
            joined = compare.joined_files(files, work / "joined.txt")
            self.assertEqual(joined.read_bytes(), b"alphabravo\n charlie\n")
            self.assertEqual(compare.size_of(joined), compare.size_of(files))


class GroupByReplacement(unittest.TestCase):
    def test_section_and_target_row_replace_the_old_ones(self):
        report = ("# Performance\n\nNo section was measured under load.\n\n"
                  "## Targets\n\n| target | this run | min-max | met |\n"
                  "|---|---|---|---|\n| 1. other | 1x | 1-1x | yes |\n"
                  "| group-by: wall <= 0.4x | 0.77x | 0.70-0.80x | no |\n\nText.\n\n"
                  "## Group-by over TSV records\n\nold figures\n\n## Scaling\n\nplots\n")
        section = compare.Section("Group-by over TSV records",
                                  "new figures\n\n**Measured under load.** Run at ...\n",
                                  [("group-by: wall <= 0.4x", "0.35x", "0.30-0.41x", "yes")], [])
        with tempfile.TemporaryDirectory() as docs:
            saved = compare.DOCS
            compare.DOCS = Path(docs)
            try:
                (Path(docs) / "PERFORMANCE.md").write_text(report)
                compare.replace_group_by_section(section)
                updated = (Path(docs) / "PERFORMANCE.md").read_text()
            finally:
                compare.DOCS = saved
        self.assertIn("| group-by: wall <= 0.4x | 0.35x | 0.30-0.41x | yes |", updated)
        self.assertNotIn("0.77x", updated)
        self.assertNotIn("old figures", updated)
        self.assertIn("## Group-by over TSV records\n\nnew figures\n\n**Measured under load.** "
                      "Run at ...\n\n## Scaling", updated)
        self.assertIn("\nSections measured under load: Group-by over TSV records.\n", updated)
        self.assertIn("| 1. other | 1x | 1-1x | yes |", updated)


if __name__ == "__main__":
    unittest.main()
