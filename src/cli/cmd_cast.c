/* cmd_cast.c - fp8lab cast: numbers -> codes of a format, as text or binary.
 *
 * Text: numbers from the arguments, or else from stdin one per line, each
 * printed as "0xCODE<TAB>value" (value = S * the code's value, shortest
 * decimal that reads back exactly), plus "<TAB>flags" with --flags.
 * Binary: little-endian float32 in, one byte per code out (two, little-endian,
 * for formats wider than 8 bits), or the reverse with --decode: every --to is
 * an operand of block.h (a per-tensor format the one with no block scale)
 * cast by cast_block.c, which streams those without a block scale through
 * the vectorized kernel on all cores (cast_binary.c).
 * Every code comes from fp8_codec_encode / fp8_codec_encode_f32_*; this file
 * only reads, scales, counts and writes.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "cast_binary.h"
#include "cast_block.h"
#include "codec.h"
#include "codec_names.h"
#include "cli.h"
#include "commands.h"
#include "rng.h"
#include "textio.h"

static void usage(FILE *out)
{
  fprintf(out,
    "Usage: fp8lab cast --to FORMAT [OPTION...] [--] [NUMBER...]\n"
    "Encode numbers into FORMAT.  With no NUMBER, read stdin: one number per line\n"
    "(any strtod spelling: 1e-3, 0x1p-9, inf, nan); blank lines and lines starting\n"
    "with '#' are skipped.  Prints 0xCODE<TAB>value per number; for a block format\n"
    "0xCODE<TAB>value<TAB>block<TAB>0xSCALE<TAB>scale (the block's index, scale code\n"
    "and scale value).\n\n"
    "  -t, --to FORMAT        target format (preset, binaryKpP{s|u}{e|f}, or\n"
    "                         [u]eXmY[:ieee|fn|fnuz|none|p3109f|p3109e][:bias=B][:nosub|:nozero]),\n"
    "                         or a block format: mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3,\n"
    "                         mxfp4_e2m1, mxint8, nvfp4, each with [:KEY=VALUE]..., or\n"
    "                         block:elem=FORMAT[:scale=FORMAT][:block=B][:rule=R]...\n"
    "                         (see fp8lab-formats(7); the options below then apply to the elements)\n"
    "  -r, --round MODE       rne (default), rtz, rna (ties away), rtp (toward +inf), rtn\n"
    "                         (toward -inf), rto (to odd), stochastic, or P3109's stochastic\n"
    "                         sr-a:N, sr-b:N, sr-c:N with N = 1..63 random bits\n"
    "  -O, --overflow MODE    satpropagate or sat (default: +-max, +-Inf stays), satfinite\n"
    "                         (+-max, +-Inf too), nonsat (Inf, or NaN where there is no\n"
    "                         Inf) or satnone (Inf where there is one, else +-max)\n"
    "      --nan MODE         keep (default: canonical NaN, input's sign) or ones (+NaN with\n"
    "                         every magnitude bit set, 0x7f: CUDA)\n"
    "  -s, --seed N           seed of stochastic rounding (default from the clock; printed on stderr)\n"
    "  -S, --scale S          encode x/S (in double precision); the value printed is S * code value\n"
    "  -b, --binary           read little-endian float32, write one byte per code (two,\n"
    "                         little-endian, for formats of 9..16 bits); not to a terminal\n"
    "                         Block formats: the element codes (one byte each up to 8 bits,\n"
    "                         4- and 6-bit codes unpacked), then the scales section: the\n"
    "                         float32 tensor scale (nvfp4 only), then one scale code per block\n"
    "                         in row-major order (fp8lab(1), LAYOUT OF BLOCK FORMATS)\n"
    "  -d, --decode           with --binary: the reverse, codes in, little-endian float32\n"
    "                         out (each code's exact value; NaN codes give a quiet NaN)\n"
    "      --row N            block formats: rows of N values, blocks along each row (the\n"
    "                         last block of a row may be short; default: all input one row)\n"
    "      --scales FILE      block formats, --binary: the scales section in FILE (written\n"
    "                         atomically; read with --decode) instead of after the codes\n"
    "  -T, --threads N        with --binary: convert on N threads (default: every core);\n"
    "                         the output does not depend on N\n"
    "  -f, --flags            text: a third column of exception flags (inexact, underflow,\n"
    "                         overflow, invalid; '-' for none); always: counts on stderr\n"
    "  -o, --output FILE      write FILE atomically instead of stdout\n"
    "      --tsv              text: a header row first (code, value[, flags])\n"
    "  -h, --help             this text\n\n"
    "NUMBERs may be negative (-3.5) anywhere; arguments after '--' are all NUMBERs.\n"
    "Exit status: 0 ok, 1 I/O failure, 2 bad usage or input (nothing is written to -o FILE).\n");
}

typedef struct cast_ctx {
  fp8_format f;
  fp8_rounding rc;
  double scale;
  bool flags, tsv;
  unsigned long count[4];    /* inputs that raised each FP8_FLAG_* bit */
  unsigned long n;
  FILE *out;
  /* block formats, text: the numbers are collected, then quantized by blocks */
  bool collect;
  double *vals;
  size_t nvals, cap;
} cast_ctx;

/* Text mode keeps at most this many numbers for a block format. */
#define MAX_BLOCK_TEXT ((size_t)1 << 24)

static const char *const flag_name[4] = {"inexact", "underflow", "overflow", "invalid"};

static void count_flags(cast_ctx *c, unsigned fl)
{
  for (int k = 0; k < 4; k++)
    c->count[k] += (fl >> k) & 1;
}

/* One number (text mode): encode, print. */
static void cast_one(cast_ctx *c, double x)
{
  unsigned fl = 0;
  uint32_t code = fp8_codec_encode(&c->f, x / c->scale, &c->rc, &fl);
  count_flags(c, fl);
  c->n++;
  char v[48];
  fp8_format_double(v, sizeof v, c->scale * fp8_codec_decode(&c->f, code));
  fprintf(c->out, "0x%0*x\t%s", (c->f.bits + 3) / 4, (unsigned)code, v);
  if (c->flags) {
    fputc('\t', c->out);
    if (!fl)
      fputc('-', c->out);
    for (int k = 0, first = 1; k < 4; k++)
      if (fl >> k & 1) {
        fprintf(c->out, "%s%s", first ? "" : ",", flag_name[k]);
        first = 0;
      }
  }
  fputc('\n', c->out);
}

/* A number: the whole of s but surrounding blanks, any strtod spelling.
 * A finite decimal beyond the double range (1e999) is not Inf: it becomes
 * +-DBL_MAX, which overflows every format (sat: max; nonsat: Inf or NaN); one
 * that strtod flushes to 0 (1e-999) becomes +-DBL_TRUE_MIN, so it still rounds
 * as a nonzero tiny value (inexact, underflow; stochastic: almost surely 0). */
static int parse_number(const char *s, double *x)
{
  char *end;
  while (isspace((unsigned char)*s))
    s++;
  errno = 0;
  *x = strtod(s, &end);
  if (end == s)
    return -1;
  int range = errno == ERANGE;
  while (isspace((unsigned char)*end))
    end++;
  if (*end)
    return -1;
  if (range && isinf(*x))
    *x = copysign(DBL_MAX, *x);
  else if (range && *x == 0)
    *x = copysign(DBL_TRUE_MIN, *x);
  return 0;
}

static int cast_text_stdin(cast_ctx *c)
{
  /* bounded lines; a NUL byte is an error naming its line, not an end of line */
  fp8_line_reader r;
  fp8_line_init(&r, stdin, "stdin", 4096, 0);
  char err[256];
  int st, rc = EXIT_OK;
  while ((st = fp8_line_next(&r, err, sizeof err)) == 1) {
    const char *p = r.buf;
    while (isspace((unsigned char)*p))
      p++;
    if (!*p || *p == '#')
      continue;
    double x;
    if (parse_number(p, &x)) {
      cli_usage_error("cast", "stdin line %lu: '%.60s%s' is not a number (expected one number per "
                      "line, e.g. 1.5, -2e-3, 0x1p-9, inf, nan)", r.lineno, p, strlen(p) > 60 ? "..." : "");
      rc = EXIT_USAGE;
      break;
    }
    if (!c->collect) {
      cast_one(c, x);
      continue;
    }
    if (c->nvals == c->cap) {
      size_t cap = c->cap ? 2 * c->cap : 4096;
      double *v = cap <= MAX_BLOCK_TEXT ? realloc(c->vals, cap * sizeof *v) : NULL;
      if (!v) {
        rc = cap > MAX_BLOCK_TEXT
           ? cli_usage_error("cast", "stdin: more than %zu numbers for a block format in text mode "
                             "(expected fewer; use --binary)", MAX_BLOCK_TEXT)
           : (cli_error("cast", "out of memory"), EXIT_FAIL);
        break;
      }
      c->vals = v;
      c->cap = cap;
    }
    c->vals[c->nvals++] = x;
  }
  if (st < 0 && ferror(stdin)) {
    cli_error("cast", "%s", err);
    rc = EXIT_FAIL;
  } else if (st < 0) {
    rc = cli_usage_error("cast", "%s", err);
  }
  fp8_line_free(&r);
  return rc;
}

/* Negative numbers look like options to getopt.  Reorder argv into argv2 so
 * that every argument that is a number (and not the value of an option) comes
 * after a "--", in order: "cast --to int8 -3.5 2" works like
 * "cast --to int8 -- -3.5 2".  argv2 and num have room for argc + 2 pointers. */
static int numbers_last(int argc, char **argv, char **argv2, char **num)
{
  static const char *const with_value[] = {"-t", "--to", "-r", "--round", "-O", "--overflow",
                                           "-s", "--seed", "-S", "--scale", "-o", "--output",
                                           "-T", "--threads", "--nan", "--row", "--scales"};
  int n = 0, k, nnum = 0;
  double x;
  argv2[n++] = argv[0];
  for (k = 1; k < argc && strcmp(argv[k], "--"); k++) {
    bool takes_value = false;
    for (size_t j = 0; j < sizeof with_value / sizeof *with_value; j++)
      takes_value |= !strcmp(argv[k], with_value[j]);
    if (takes_value && k + 1 < argc) {
      argv2[n++] = argv[k++];
      argv2[n++] = argv[k];
    } else if (parse_number(argv[k], &x) == 0) {
      num[nnum++] = argv[k];
    } else {
      argv2[n++] = argv[k];
    }
  }
  if (nnum || k < argc)
    argv2[n++] = "--";
  for (int i = 0; i < nnum; i++)
    argv2[n++] = num[i];
  for (k++; k < argc; k++)
    argv2[n++] = argv[k];
  argv2[n] = NULL;
  return n;
}

/* --round / --overflow / --nan through the library's one table of mode names. */
static int parse_mode(int ch, const char *arg, fp8_rounding *rc)
{
  char err[256];
  const char *opt = ch == 'r' ? "--round" : ch == 'O' ? "--overflow" : "--nan";
  int st = ch == 'r' ? fp8_round_mode_parse(arg, rc, err, sizeof err)
         : ch == 'O' ? fp8_overflow_mode_parse(arg, rc, err, sizeof err)
                     : fp8_nan_mode_parse(arg, rc, err, sizeof err);
  if (st)
    cli_usage_error("cast", "%s: %s", opt, err);
  return st;
}

/* Any operand in binary, through cast_block.c (one with no block scale
 * streams through cast_binary.c's kernel), with the scales section in its
 * own file when --scales is given (written atomically, committed only with a
 * good run); a block format in text (numbers collected, then quantized by
 * blocks). */
static int cast_block_main(cast_ctx *c, const fp8_block_format *bf, const char *to, bool binary, bool decode,
                           size_t row, const char *scalespath, int threads, const double *args, size_t nargs)
{
  cast_block cb = {.bf = bf, .rc = &c->rc, .scale = c->scale, .row = row, .flags = c->flags,
                   .threads = threads};
  int rc;
  if (!binary) {
    rc = EXIT_OK;
    if (!nargs) {
      c->collect = true;
      rc = cast_text_stdin(c);
      args = c->vals;
      nargs = c->nvals;
    }
    if (rc == EXIT_OK && nargs)
      rc = cast_block_text("cast", &cb, args, nargs, c->out, c->tsv, c->flags);
  } else if (decode) {
    FILE *sf = NULL;
    if (scalespath && !(sf = fopen(scalespath, "rb")))
      return cli_usage_error("cast", "--scales %s: %s (expected the scales file written with the codes)",
                             scalespath, strerror(errno));
    rc = cast_block_decode("cast", &cb, STDIN_FILENO, sf, scalespath, c->out);
    if (sf)
      fclose(sf);
  } else {
    fp8_outfile so;
    if (scalespath && fp8_outfile_open(&so, scalespath))
      return EXIT_FAIL;
    rc = cast_block_encode("cast", &cb, STDIN_FILENO, c->out, scalespath ? so.fp : NULL);
    if (scalespath && rc == EXIT_OK && cb.n && fp8_outfile_commit(&so))
      rc = EXIT_FAIL;
    else if (scalespath && (rc != EXIT_OK || !cb.n))
      fp8_outfile_abort(&so);
  }
  c->n = cb.n;
  memcpy(c->count, cb.count, sizeof c->count);
  if (rc == EXIT_OK && cb.n && bf->tensor && !decode) {
    char t[48];
    fp8_format_double(t, sizeof t, cb.tensor);
    fprintf(stderr, "fp8lab cast: %s tensor scale T = %s\n", to, t);
  }
  if (rc == EXIT_OK && cb.nan_blocks)
    cli_error("cast", "warning: %lu block%s with a NaN or Inf: %s scale is NaN, every value in %s is NaN",
              cb.nan_blocks, cb.nan_blocks == 1 ? "" : "s", cb.nan_blocks == 1 ? "its" : "their",
              cb.nan_blocks == 1 ? "it" : "them");
  return rc;
}

static int cast_main(int argc, char **argv)
{
  enum { OPT_TSV = 1000, OPT_NAN, OPT_ROW, OPT_SCALES };
  static const struct option opts[] = {
    {"to", required_argument, NULL, 't'},       {"round", required_argument, NULL, 'r'},
    {"overflow", required_argument, NULL, 'O'}, {"seed", required_argument, NULL, 's'},
    {"scale", required_argument, NULL, 'S'},    {"binary", no_argument, NULL, 'b'},
    {"flags", no_argument, NULL, 'f'},          {"output", required_argument, NULL, 'o'},
    {"tsv", no_argument, NULL, OPT_TSV},        {"help", no_argument, NULL, 'h'},
    {"decode", no_argument, NULL, 'd'},         {"threads", required_argument, NULL, 'T'},
    {"nan", required_argument, NULL, OPT_NAN},   {"row", required_argument, NULL, OPT_ROW},
    {"scales", required_argument, NULL, OPT_SCALES},
    {NULL, 0, NULL, 0}};
  cast_ctx c = {.scale = 1.0, .rc = fp8_rounding_default};
  const char *to = NULL, *outpath = NULL, *scalespath = NULL;
  bool binary = false, have_seed = false, decode = false, have_round = false, have_nan = false;
  bool have_threads = false;
  long row = 0;
  long ncores = sysconf(_SC_NPROCESSORS_ONLN), threads = ncores > 0 ? ncores : 1;
  unsigned long seed = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "+t:r:O:s:S:bfo:hdT:", opts, NULL)) != -1) {
    switch (ch) {
    case 't': to = optarg; break;
    case 'r': case 'O': case OPT_NAN:
      if (parse_mode(ch, optarg, &c.rc)) return EXIT_USAGE;
      have_round = true;
      have_nan |= ch == OPT_NAN;
      break;
    case OPT_ROW: if (cli_parse_long("cast", "--row", optarg, 1, LONG_MAX, &row)) return EXIT_USAGE; break;
    case OPT_SCALES: scalespath = optarg; break;
    case 's': if (cli_parse_seed("cast", optarg, &seed)) return EXIT_USAGE; have_seed = true; break;
    case 'S':
      if (cli_parse_double("cast", "--scale", optarg, &c.scale)) return EXIT_USAGE;
      if (!isfinite(c.scale) || c.scale == 0)
        return cli_usage_error("cast", "--scale: '%s' is not a finite nonzero number", optarg);
      break;
    case 'b': binary = true; break;
    case 'd': decode = true; break;
    case 'T':
      if (cli_parse_long("cast", "--threads", optarg, 1, 256, &threads)) return EXIT_USAGE;
      have_threads = true;
      break;
    case 'f': c.flags = true; break;
    case 'o': outpath = optarg; break;
    case OPT_TSV: c.tsv = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("cast", "unknown option or missing option value (see above)");
    }
  }
  if (!to)
    return cli_usage_error("cast", "--to FORMAT is required");
  fp8_block_format bf;
  bool block = fp8_block_is_block_spelling(to);
  if (block) {
    char err[320];
    if (fp8_block_parse(to, &bf, err, sizeof err))
      return cli_usage_error("cast", "--to: %s", err);
    if (c.scale != 1.0 || have_nan)
      return cli_usage_error("cast", "--scale and --nan do not apply to block format '%s' (its scales are "
                             "chosen per block; a NaN makes its whole block NaN)", to);
    if (scalespath && !binary)
      return cli_usage_error("cast", "--scales FILE is for --binary (text output shows each block's scale)");
    if (have_threads && !binary)
      return cli_usage_error("cast", "--threads is for --binary");
    if (outpath && scalespath && !strcmp(outpath, scalespath))
      return cli_usage_error("cast", "--scales %s: the same file as --output (expected another file)",
                             scalespath);
    c.f = bf.elem;
  } else if (row || scalespath) {
    return cli_usage_error("cast", "--row and --scales are for block formats (mxfp8_e4m3, nvfp4, "
                           "block:elem=..., ...), not '%s'", to);
  } else if (cli_parse_format("cast", "--to", to, &c.f)) {
    return EXIT_USAGE;
  } else {
    fp8_block_from_format(&c.f, &bf);   /* the operand with no block scale */
    snprintf(bf.name, sizeof bf.name, "%s", to);
  }
  if (binary && c.f.bits > 16)
    return cli_usage_error("cast", "--binary: '%s' has %d bits (expected at most 16)", to, c.f.bits);
  if (binary && optind < argc)
    return cli_usage_error("cast", "--binary reads stdin: unexpected argument '%s'", argv[optind]);
  if (binary && c.tsv)
    return cli_usage_error("cast", "--tsv is for text output, not --binary");
  if (decode && !binary)
    return cli_usage_error("cast", "--decode is for --binary input (codes in, float32 out)");
  if (decode && (have_round || have_seed || c.scale != 1.0 || c.flags))
    return cli_usage_error("cast", "--decode gives each code's exact value: --round, --overflow, --nan, "
                           "--seed, --scale and --flags do not apply");
  if (have_seed && !fp8_round_mode_is_stochastic(c.rc.mode))
    return cli_usage_error("cast", "--seed is for the stochastic roundings (stochastic, sr-a:N, sr-b:N, sr-c:N)");
  /* Parse every argument before writing anything. */
  double *args = NULL;
  int nargs = argc - optind;
  if (nargs > 0) {
    args = malloc((size_t)nargs * sizeof *args);
    if (!args) {
      cli_error("cast", "out of memory");
      return EXIT_FAIL;
    }
    for (int i = 0; i < nargs; i++)
      if (parse_number(argv[optind + i], &args[i])) {
        cli_usage_error("cast", "NUMBER: '%s' is not a number (expected e.g. 1.5, -2e-3, 0x1p-9, inf, nan)",
                        argv[optind + i]);
        free(args);
        return EXIT_USAGE;
      }
  }
  if (binary && !outpath && isatty(STDOUT_FILENO)) {
    free(args);
    return cli_usage_error("cast", "--binary: refusing to write binary codes to a terminal "
                           "(redirect stdout or use --output FILE)");
  }
  gsl_rng *rng = NULL;
  if (fp8_round_mode_is_stochastic(c.rc.mode)) {
    if (!have_seed)
      seed = cli_default_seed();
    rng = fp8_rng_alloc(seed);
    if (!rng) {
      free(args);
      cli_error("cast", "out of memory");
      return EXIT_FAIL;
    }
    c.rc.rand64 = fp8_rng_bits64;
    c.rc.rand_state = rng;
    if (c.rc.mode == FP8_ROUND_STOCHASTIC)
      fprintf(stderr, "fp8lab cast: stochastic rounding, seed %lu\n", seed);
    else
      fprintf(stderr, "fp8lab cast: stochastic rounding %s:%d, seed %lu\n", fp8_round_mode_name(c.rc.mode),
              c.rc.sr_bits, seed);
  }
  fp8_outfile of;
  c.out = stdout;
  if (outpath) {
    if (fp8_outfile_open(&of, outpath)) {
      free(args);
      gsl_rng_free(rng);
      return EXIT_FAIL;
    }
    c.out = of.fp;
  }
  if (c.tsv && !block)
    fprintf(c.out, "code\tvalue%s\n", c.flags ? "\tflags" : "");
  int rc;
  if (block || binary) {
    rc = cast_block_main(&c, &bf, to, binary, decode, (size_t)row, scalespath, (int)threads, args,
                         (size_t)nargs);
  } else if (nargs > 0) {
    for (int i = 0; i < nargs; i++)
      cast_one(&c, args[i]);
    rc = EXIT_OK;
  } else {
    rc = cast_text_stdin(&c);
  }
  if (rc == EXIT_OK && c.n == 0)
    rc = cli_usage_error("cast", decode ? "--decode: no codes on stdin (empty input)"
                                 : binary ? "--binary: no float32 values on stdin (empty input)"
                                        : "no numbers on stdin (empty input, or only blank and '#' lines)");
  if (rc == EXIT_OK && !block && c.count[3] && !fp8_format_has_nan(&c.f))
    cli_error("cast", "warning: %lu NaN input%s encoded as 0: %s has no NaN", c.count[3],
              c.count[3] == 1 ? "" : "s", to);
  if (rc == EXIT_OK && c.flags)
    fprintf(stderr, "fp8lab cast: %lu values; inexact %lu, underflow %lu, overflow %lu, invalid %lu\n",
            c.n, c.count[0], c.count[1], c.count[2], c.count[3]);
  if (outpath) {
    if (rc == EXIT_OK) {
      if (fp8_outfile_commit(&of))
        rc = EXIT_FAIL;
    } else {
      fp8_outfile_abort(&of);
    }
  }
  free(args);
  free(c.vals);
  gsl_rng_free(rng);
  return rc;
}

int cmd_cast(int argc, char **argv)
{
  char **argv2 = malloc((size_t)(argc + 2) * sizeof *argv2);
  char **num = malloc((size_t)(argc + 2) * sizeof *num);
  int rc;
  if (!argv2 || !num) {
    cli_error("cast", "out of memory");
    rc = EXIT_FAIL;
  } else {
    rc = cast_main(numbers_last(argc, argv, argv2, num), argv2);
  }
  free(argv2);
  free(num);
  return rc;
}
