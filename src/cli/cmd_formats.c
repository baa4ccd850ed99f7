/* cmd_formats.c - fp8lab formats: presets and their limits. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab formats [--tsv] [FORMAT...]\n"
          "List the format presets (or the FORMATs named) with bits n, exponent bits E,\n"
          "mantissa bits M, bias, special-value convention, max finite, min normal,\n"
          "min subnormal, number of distinct finite values, the exact product width FX,\n"
          "the default Kulisch accumulator width FX+12, and the presets whose every\n"
          "code has the same value (same_as; e.g. binary8p4sf = float8_e4m3fnuz).\n\n"
          "  --tsv     tab-separated, one header row\n"
          "  --help    this text\n\n"
          "FORMAT is a preset, a P3109 name binaryKpP{s|u}{e|f}, a spelling\n"
          "[u]eXmY[:ieee|fn|fnuz|none|p3109f|p3109e][:bias=B][:nosub|:nozero] (u: unsigned),\n"
          "intN or intN-sm; see fp8lab-formats(7).\n");
}

static void add_row(cli_table *t, const char *name, const fp8_format *f)
{
  char canon[64], mx[40], mn[40], ms[40];
  fp8_format_canonical(f, canon, sizeof canon);
  cli_format_double(mx, sizeof mx, fp8_format_max(f));
  cli_format_double(mn, sizeof mn, fp8_format_min_normal(f));
  cli_format_double(ms, sizeof ms, fp8_format_min_subnormal(f));
  const char *conv = f->ebits ? fp8_special_name(f->special)
                              : f->intenc == FP8_INT_TWOS ? "twos" : "signmag";
  /* Presets with the same value at every code (other names of this format). */
  char same[256] = "";
  size_t used = 0;
  for (size_t i = 0; i < fp8_format_preset_count(); i++) {
    fp8_format g;
    const char *pn = fp8_format_preset_name(i);
    if (!strcmp(pn, name) || fp8_format_parse(pn, &g, NULL, 0) || !fp8_codec_same_values(f, &g))
      continue;
    int k = snprintf(same + used, sizeof same - used, "%s%s", used ? "," : "", pn);
    if (k < 0 || (size_t)k >= sizeof same - used)
      break;
    used += (size_t)k;
  }
  cli_table_addf(t, "%s\t%s\t%d\t%d\t%d\t%d\t%s%s\t%s\t%s\t%s\t%llu\t%d\t%d\t%s", name, canon,
                 f->bits, f->ebits, f->mbits, f->bias, f->is_unsigned ? "unsigned " : "", conv, mx, mn, ms,
                 (unsigned long long)fp8_format_finite_values(f),
                 fp8_format_product_bits(f), fp8_format_kulisch_bits(f), used ? same : "-");
}

int cmd_formats(int argc, char **argv)
{
  static const struct option opts[] = {
    {"tsv", no_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  bool tsv = false;
  int c;
  while ((c = getopt_long(argc, argv, "th", opts, NULL)) != -1) {
    switch (c) {
    case 't': tsv = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("formats", "unknown option");
    }
  }
  static const char *const hdr[] = {"name", "spec", "n", "E", "M", "bias", "convention", "max",
                                    "min_normal", "min_subnormal", "finite_values", "FX", "kulisch", "same_as"};
  cli_table *t = cli_table_new(14, hdr);
  fp8_format f;
  if (optind < argc) {
    for (int i = optind; i < argc; i++) {
      if (cli_parse_format("formats", "FORMAT", argv[i], &f)) {
        cli_table_free(t);
        return EXIT_USAGE;
      }
      add_row(t, argv[i], &f);
    }
  } else {
    for (size_t i = 0; i < fp8_format_preset_count(); i++) {
      fp8_format_parse(fp8_format_preset_name(i), &f, NULL, 0);
      add_row(t, fp8_format_preset_name(i), &f);
    }
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  return EXIT_OK;
}
