/* cmd_table.c - fp8lab table FORMAT: every code of a format. */
#include <getopt.h>
#include <stdlib.h>

#include "codec.h"
#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab table [--tsv] FORMAT\n"
          "List every code of FORMAT (at most 16 bits): hex code, sign (0 throughout for\n"
          "unsigned formats), exponent and mantissa fields, class (zero, subnormal, normal, inf, nan) and exact value.\n\n"
          "  --tsv     tab-separated, one header row\n"
          "  --help    this text\n");
}

static const char *class_name(fp8_class c)
{
  static const char *const n[] = {"zero", "subnormal", "normal", "inf", "nan"};
  return n[c];
}

int cmd_table(int argc, char **argv)
{
  static const struct option opts[] = {
    {"tsv", no_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  bool tsv = false;
  int c;
  while ((c = getopt_long(argc, argv, "th", opts, NULL)) != -1) {
    switch (c) {
    case 't': tsv = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("table", "unknown option");
    }
  }
  if (optind + 1 != argc)
    return cli_usage_error("table", "expected exactly one FORMAT, got %d", argc - optind);
  fp8_format f;
  if (cli_parse_format("table", "FORMAT", argv[optind], &f))
    return EXIT_USAGE;
  if (f.bits > 16)
    return cli_usage_error("table", "FORMAT: '%s' has %d bits; a table lists at most 16-bit formats",
                           argv[optind], f.bits);
  static const char *const hdr[] = {"code", "sign", "exponent", "mantissa", "class", "value"};
  cli_table *t = cli_table_new(6, hdr);
  int hexw = (f.bits + 3) / 4;
  for (uint32_t code = 0; code <= fp8_format_ncodes_minus1(&f); code++) {
    char val[40];
    if (!fp8_codec_value_text_wide(&f, code, val, sizeof val))
      fp8_format_double(val, sizeof val, fp8_codec_decode(&f, code));
    uint32_t s = f.is_unsigned ? 0 : code >> (f.bits - 1);   /* unsigned: no sign bit */
    uint32_t e = f.ebits ? (code >> f.mbits) & ((1u << f.ebits) - 1) : 0;
    uint32_t m = code & ((1u << f.mbits) - 1);
    cli_table_addf(t, "0x%0*x\t%u\t%u\t%u\t%s\t%s", hexw, code, s, e, m,
                   class_name(fp8_codec_classify(&f, code)), val);
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  return EXIT_OK;
}
