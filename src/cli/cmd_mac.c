/* cmd_mac.c - fp8lab mac: drive the golden MAC model with lines of codes. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "dot.h"
#include "mac.h"
#include "textio.h"

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab mac --format F [--format-b G] [--acc ACC] [--width W] [--ftz]\n"
          "                  [--round-to G] [--trace] [FILE]\n"
          "Run acc <- acc + a*b on the golden MAC model for each input line 'A B' (two\n"
          "codes in hex, 0x optional); a line 'clear' resets the accumulator; '#' starts\n"
          "a comment.  Reads FILE, or standard input if FILE is absent or '-'.\n"
          "Prints 'acc=0x<bits> value=<v> flags=<f>' at each clear and at the end (with\n"
          "--trace, after every line): bits in the accumulator's own encoding (Kulisch:\n"
          "W-bit two's complement), the value exact (Kulisch) or shortest round-trip\n"
          "(FP), flags from overflow,nan,+inf,-inf (Kulisch) or inexact,underflow,\n"
          "overflow,invalid (FP), or none.  The semantics are those of src/unit/mac.h.\n\n"
          "  --format F      format of a (and of b): int8, fp8-e4, float8_e4m3fn, ...\n"
          "  --format-b G    format of b, for mixed inputs (default F)\n"
          "  --acc ACC       kulisch (default), fp16, bf16, fp32, or an IEEE eXmY; or a\n"
          "                  dot-product unit (hopper-fp8, hopper-fp8:promote=4, ...; the\n"
          "                  grammar of 'fp8lab gemm'): the lines are its products, and it\n"
          "                  prints 'result=0x<fp32 bits> value=<v> flags=<f>', the chain's\n"
          "                  fp32 result as if K ended there\n"
          "  --width W       Kulisch width in bits (default product bits + 12)\n"
          "  --ftz           flush tiny FP results to zero (tiny before rounding)\n"
          "  --round-to G    also print the value rounded once into format G (RNE,\n"
          "                  saturating): ' G=0x<code> (<value>)'\n"
          "  --trace         one line per input line, with the step number and codes\n"
          "  --help          this text\n"
          "Exit status: 0 ok, 1 bad input line (named with its line number), 2 usage.\n");
}

/* Flag names in output order. */
static void flags_string(char *buf, size_t len, unsigned fl)
{
  static const struct { unsigned bit; const char *name; } names[] = {
    {FP8_MAC_WRAP, "overflow"}, {FP8_MAC_NAN, "nan"}, {FP8_MAC_PINF, "+inf"},
    {FP8_MAC_NINF, "-inf"}, {FP8_MAC_INEXACT, "inexact"}, {FP8_MAC_UNDERFLOW, "underflow"},
    {FP8_MAC_OVERFLOW, "overflow"}, {FP8_MAC_INVALID, "invalid"}};
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (fl & names[i].bit)
      o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? "," : "", names[i].name);
  if (!o)
    snprintf(buf, len, "none");
}

/* What the lines drive: the per-step MAC, or a dot-product unit (dot.h). */
typedef struct driver {
  fp8_mac *m;
  fp8_dot *d;
  const fp8_format *fa, *fb;
} driver;

/* The --round-to part of a state line: " G=0x<code> (<value>)". */
static void print_rounded(const fp8_format *out, uint32_t code)
{
  char v[40];
  fp8_format_double(v, sizeof v, fp8_codec_decode(out, code));
  printf(" %s=0x%0*x (%s)", out->name, (out->bits + 3) / 4, code, v);
}

/* A unit's chain result (as if K ended here): its fp32 bits, value, flags. */
static void print_unit(const fp8_dot *d, const fp8_format *out)
{
  unsigned fl = 0;
  uint32_t r = fp8_dot_result_f32(d, &fl);
  fp8_format f32;
  fp8_format_parse("fp32", &f32, NULL, 0);
  char value[48], fls[80];
  double v = fp8_codec_decode(&f32, r);
  fp8_format_double(value, sizeof value, v);
  flags_string(fls, sizeof fls, fl);
  printf("result=0x%08x value=%s flags=%s", r, value, fls);
  if (out)
    print_rounded(out, fp8_codec_encode(out, v, NULL, NULL));
  putchar('\n');
}

static void print_state(const fp8_mac *m, const fp8_format *out);

static void show(const driver *u, const fp8_format *out)
{
  if (u->d)
    print_unit(u->d, out);
  else
    print_state(u->m, out);
}

static void print_state(const fp8_mac *m, const fp8_format *out)
{
  fp8_mac_state s;
  fp8_mac_get_state(m, &s);
  int w = fp8_mac_width(m), digits = (w + 3) / 4;
  char hex[80], value[700], fl[80];
  size_t o = 0;
  for (int i = digits - 1; i >= 0; i--)
    hex[o++] = "0123456789abcdef"[(s.acc[i / 16] >> (4 * (i % 16))) & 15];
  hex[o] = 0;
  if (fp8_mac_acc(m)->kind == FP8_ACC_KULISCH)
    fp8_mac_decimal(m, value, sizeof value);
  else
    fp8_format_double(value, sizeof value, fp8_mac_value(m));
  flags_string(fl, sizeof fl, s.flags);
  printf("acc=0x%s value=%s flags=%s", hex, value, fl);
  if (out)
    print_rounded(out, fp8_mac_round(m, out, NULL, NULL));
  putchar('\n');
}

/* One hex code of format f from token tok; reports and returns -1 on error. */
static int parse_code(const char *tok, const fp8_format *f, const char *which, long line,
                      uint32_t *code)
{
  const char *p = tok;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    p += 2;
  uint32_t max = fp8_format_ncodes_minus1(f);
  if (!*p || strspn(p, "0123456789abcdefABCDEF") != strlen(p)) {
    cli_error("mac", "line %ld: '%s' is not a hex code (expected %s as 0x0..0x%x for %s)",
              line, tok, which, max, f->name);
    return -1;
  }
  errno = 0;
  unsigned long v = strtoul(p, NULL, 16);
  if (errno == ERANGE || v > max) {
    cli_error("mac", "line %ld: code '%s' out of range for %s %s (expected 0x0..0x%x)",
              line, tok, which, f->name, max);
    return -1;
  }
  *code = (uint32_t)v;
  return 0;
}

static int run(driver *u, FILE *in, const char *name, bool trace, const fp8_format *out)
{
  const fp8_format *fa = u->fa, *fb = u->fb;
  /* bounded lines; a NUL byte is an error naming its line */
  fp8_line_reader rd;
  fp8_line_init(&rd, in, name, 4096, 0);
  char err[1024];
  long lineno = 0, steps = 0, since_clear = 0;
  int rc = EXIT_OK, st;
  while ((st = fp8_line_next(&rd, err, sizeof err)) == 1) {
    char *line = rd.buf;
    lineno++;
    char *hash = strchr(line, '#');
    if (hash)
      *hash = 0;
    char *save, *tok[3];
    int nt = 0;
    for (char *t = strtok_r(line, " \t\r\n,", &save); t; t = strtok_r(NULL, " \t\r\n,", &save)) {
      if (nt == 2) {
        cli_error("mac", "line %ld: unexpected '%s' (expected 'A B' or 'clear')", lineno, t);
        rc = EXIT_FAIL;
        goto out;
      }
      tok[nt++] = t;
    }
    if (nt == 0)
      continue;
    if (nt == 1 && strcmp(tok[0], "clear") == 0) {
      if (!trace && since_clear)
        show(u, out);
      if (u->d)
        fp8_dot_clear(u->d);
      else
        fp8_mac_clear(u->m);
      since_clear = 0;
      if (trace) {
        printf("clear ");
        show(u, out);
      }
      continue;
    }
    if (nt == 1) {
      cli_error("mac", "line %ld: '%s' alone (expected 'A B' hex codes or 'clear')", lineno, tok[0]);
      rc = EXIT_FAIL;
      goto out;
    }
    uint32_t a, b;
    if (parse_code(tok[0], fa, "a", lineno, &a) || parse_code(tok[1], fb, "b", lineno, &b)) {
      rc = EXIT_FAIL;
      goto out;
    }
    if (u->d) {
      uint16_t x = (uint16_t)a, y = (uint16_t)b;
      fp8_dot_push_u16(u->d, &x, &y, 1);
    } else {
      fp8_mac_step(u->m, a, b);
    }
    steps++;
    since_clear++;
    if (trace) {
      printf("step=%ld a=0x%0*x b=0x%0*x ", steps, (fa->bits + 3) / 4, a, (fb->bits + 3) / 4, b);
      show(u, out);
    }
  }
  if (st < 0) {
    cli_error("mac", "%s", err);
    rc = EXIT_FAIL;
  } else if (!trace && (since_clear || steps == 0)) {
    show(u, out);
  }
out:
  fp8_line_free(&rd);
  return rc;
}

int cmd_mac(int argc, char **argv)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"format-b", required_argument, NULL, 'b'},
    {"acc", required_argument, NULL, 'a'},    {"width", required_argument, NULL, 'w'},
    {"ftz", no_argument, NULL, 'z'},          {"trace", no_argument, NULL, 't'},
    {"round-to", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  const char *fmt_a = NULL, *fmt_b = NULL, *acc = "kulisch", *round_to = NULL;
  long width = 0;
  bool ftz = false, trace = false;
  int c;
  while ((c = getopt_long(argc, argv, "+f:b:a:w:ztr:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': fmt_a = optarg; break;
    case 'b': fmt_b = optarg; break;
    case 'a': acc = optarg; break;
    case 'w':
      if (cli_parse_long("mac", "--width", optarg, 2, FP8_MAC_KULISCH_MAX_BITS, &width))
        return EXIT_USAGE;
      break;
    case 'z': ftz = true; break;
    case 't': trace = true; break;
    case 'r': round_to = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("mac", "unknown option");
    }
  }
  if (!fmt_a)
    return cli_usage_error("mac", "--format F is required (e.g. --format fp8-e4)");
  if (optind + 1 < argc)
    return cli_usage_error("mac", "expected at most one FILE, got %d", argc - optind);
  fp8_format fa, fb;
  if (cli_parse_format("mac", "--format", fmt_a, &fa) ||
      cli_parse_format("mac", "--format-b", fmt_b ? fmt_b : fmt_a, &fb))
    return EXIT_USAGE;
  fp8_format fout;
  if (round_to && cli_parse_format("mac", "--round-to", round_to, &fout))
    return EXIT_USAGE;
  fp8_dot_spec us;
  char err[1024];
  if (fp8_dot_spec_parse(acc, &us, err, sizeof err))
    return cli_usage_error("mac", "--acc: %s", err);
  driver u = {NULL, NULL, &fa, &fb};
  if (!fp8_dot_spec_is_mac(&us) && !(us.acc.kind == FP8_ACC_KULISCH && us.n == 1)) {
    /* A dot-product unit: lines are its products, in steps of n. */
    if (width || ftz)
      return cli_usage_error("mac", "--%s applies to the per-step MAC, not the unit '%s'", width ? "width" : "ftz", acc);
    fp8_block_format oa, ob;
    fp8_block_from_format(&fa, &oa);
    fp8_block_from_format(&fb, &ob);
    if (!(u.d = fp8_dot_alloc(&oa, &ob, &us, err, sizeof err)))
      return cli_usage_error("mac", "%s", err);
  }
  fp8_acc_spec spec = us.acc;
  if (width && spec.kind != FP8_ACC_KULISCH)
    return cli_usage_error("mac", "--width %ld applies to --acc kulisch, not '%s'", width, acc);
  if (ftz && spec.kind != FP8_ACC_FP)
    return cli_usage_error("mac", "--ftz applies to floating-point accumulators, not '%s'", acc);
  if (width)
    spec.width = (int)width;
  spec.ftz = spec.ftz || ftz;
  if (!u.d && !(u.m = fp8_mac_alloc(&fa, &fb, &spec, err, sizeof err)))
    return cli_usage_error("mac", "%s", err);
  FILE *in = stdin;
  const char *path = optind < argc ? argv[optind] : "-";
  int rc;
  if (strcmp(path, "-") != 0 && !(in = fopen(path, "r"))) {
    cli_error("mac", "cannot open '%s': %s", path, strerror(errno));
    rc = EXIT_FAIL;
  } else {
    rc = run(&u, in, in == stdin ? "stdin" : path, trace, round_to ? &fout : NULL);
    if (in != stdin)
      fclose(in);
  }
  fp8_mac_free(u.m);
  fp8_dot_free(u.d);
  return rc;
}
