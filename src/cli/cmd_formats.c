/* cmd_formats.c - fp8lab formats: presets and their limits. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "codec.h"
#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab formats [--tsv] [--block] [FORMAT...]\n"
          "List the format presets (or the FORMATs named) with bits n, exponent bits E,\n"
          "mantissa bits M, bias, special-value convention, max finite, min normal,\n"
          "min subnormal, number of distinct finite values, the exact product width FX,\n"
          "the default Kulisch accumulator width FX+12, and the presets whose every\n"
          "code has the same value (same_as; e.g. binary8p4sf = float8_e4m3fnuz).\n\n"
          "  --tsv     tab-separated, one header row\n"
          "  --block   the block-scaled formats instead (OCP MX, NVFP4; also when every\n"
          "            FORMAT is a block format): element and scale formats, block size B,\n"
          "            scale rule, tensor scale, the element's largest value Emax and its\n"
          "            exponent emax, storage bits per value, note and source\n"
          "  --help    this text\n\n"
          "FORMAT is a preset, a P3109 name binaryKpP{s|u}{e|f}, a spelling\n"
          "[u]eXmY[:ieee|fn|fnuz|none|p3109f|p3109e][:bias=B][:nosub|:nozero] (u: unsigned),\n"
          "intN or intN-sm; a block format is a preset (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2,\n"
          "mxfp6_e2m3, mxfp4_e2m1, mxint8, nvfp4) or block:elem=FORMAT, each with\n"
          "[:KEY=VALUE]... (elem, scale, block, rule, tensor, shift); see fp8lab-formats(7).\n");
}

static void add_row(cli_table *t, const char *name, const fp8_format *f)
{
  char canon[64], mx[40], mn[40], ms[40];
  fp8_format_name(f, canon, sizeof canon);
  fp8_format_double(mx, sizeof mx, fp8_format_max(f));
  fp8_format_double(mn, sizeof mn, fp8_format_min_normal(f));
  fp8_format_double(ms, sizeof ms, fp8_format_min_subnormal(f));
  const char *conv = f->ebits ? fp8_special_name(f->special)
                              : f->intenc == FP8_INT_TWOS ? "twos" : "signmag";
  /* Presets with the same value at every code (other names of this format). */
  char same[256] = "";
  size_t used = 0, np;
  const fp8_preset *presets = fp8_format_presets(&np);
  for (size_t i = 0; i < np; i++) {
    fp8_format g;
    const char *pn = presets[i].name;
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

/* One block format: its fields, derived limits, and the preset's note and
 * source (pr; NULL for a spelling that names no preset as is). */
static void add_block_row(cli_table *t, const char *name, const fp8_block_format *bf, const fp8_preset *pr)
{
  char e[64], sc[64], canon[FP8_BLOCK_NAME_LEN], em[40], bpv[40];
  fp8_format_name(&bf->elem, e, sizeof e);
  fp8_format_name(&bf->scale, sc, sizeof sc);
  fp8_block_name(bf, canon, sizeof canon);
  fp8_format_double(em, sizeof em, fp8_block_elem_max(bf));
  fp8_format_double(bpv, sizeof bpv, fp8_block_bits_per_value(bf));
  cli_table_addf(t, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s", name, canon, e,
                 bf->shift, sc, bf->block, fp8_block_rule_name(bf->rule), bf->tensor ? "fp32" : "-", em,
                 fp8_block_elem_emax(bf), bpv, pr ? pr->note : "-", pr ? pr->source : "-");
}

static int list_blocks(int argc, char **argv, bool tsv)
{
  static const char *const hdr[] = {"name", "canonical", "elem", "shift", "scale", "B", "rule",
                                    "tensor", "elem_max", "emax", "bits_per_value", "note", "source"};
  cli_table *t = cli_table_new(13, hdr);
  fp8_block_format bf;
  size_t np;
  const fp8_preset *presets = fp8_block_presets(&np);
  for (int i = optind; i < argc; i++) {
    char err[320];
    if (fp8_block_parse(argv[i], &bf, err, sizeof err)) {
      cli_table_free(t);
      return cli_usage_error("formats", "FORMAT: %s", err);
    }
    add_block_row(t, argv[i], &bf, fp8_spell_preset(presets, np, argv[i], strlen(argv[i])));
  }
  for (size_t k = 0; optind >= argc && k < np; k++) {
    fp8_block_parse(presets[k].name, &bf, NULL, 0);
    add_block_row(t, presets[k].name, &bf, &presets[k]);
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  return EXIT_OK;
}

int cmd_formats(int argc, char **argv)
{
  static const struct option opts[] = {
    {"tsv", no_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {"block", no_argument, NULL, 'b'},
    {NULL, 0, NULL, 0}};
  bool tsv = false, block = false;
  int c;
  while ((c = getopt_long(argc, argv, "thb", opts, NULL)) != -1) {
    switch (c) {
    case 't': tsv = true; break;
    case 'b': block = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("formats", "unknown option");
    }
  }
  bool all_block = optind < argc;
  for (int i = optind; i < argc; i++)
    all_block &= fp8_block_is_block_spelling(argv[i]);
  if (block || all_block)
    return list_blocks(argc, argv, tsv);
  static const char *const hdr[] = {"name", "spec", "n", "E", "M", "bias", "convention", "max",
                                    "min_normal", "min_subnormal", "finite_values", "FX", "kulisch", "same_as"};
  cli_table *t = cli_table_new(14, hdr);
  fp8_format f;
  if (optind < argc) {
    for (int i = optind; i < argc; i++) {
      if (fp8_block_is_block_spelling(argv[i])) {
        cli_table_free(t);
        return cli_usage_error("formats", "FORMAT: '%s' is a block format (expected number formats only, "
                               "or block formats only: they are listed in their own table)", argv[i]);
      }
      if (cli_parse_format("formats", "FORMAT", argv[i], &f)) {
        cli_table_free(t);
        return EXIT_USAGE;
      }
      add_row(t, argv[i], &f);
    }
  } else {
    size_t np;
    const fp8_preset *presets = fp8_format_presets(&np);
    for (size_t i = 0; i < np; i++) {
      fp8_format_parse(presets[i].name, &f, NULL, 0);
      add_row(t, presets[i].name, &f);
    }
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  return EXIT_OK;
}
