/* cmd_cast.c - fp8lab cast: numbers -> codes.  (Minimal; see issue 2.) */
#include <getopt.h>
#include <stdlib.h>

#include "codec.h"
#include "cli.h"
#include "commands.h"

int cmd_cast(int argc, char **argv)
{
  static const struct option opts[] = {
    {"to", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *to = NULL;
  int c;
  while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
    switch (c) {
    case 't': to = optarg; break;
    case 'h': printf("Usage: fp8lab cast --to FORMAT [NUMBER...]\n"); return EXIT_OK;
    default: return cli_usage_error("cast", "unknown option");
    }
  }
  if (!to)
    return cli_usage_error("cast", "--to FORMAT is required");
  fp8_format f;
  if (cli_parse_format("cast", "--to", to, &f))
    return EXIT_USAGE;
  for (int i = optind; i < argc; i++) {
    double x;
    if (cli_parse_double("cast", "NUMBER", argv[i], &x))
      return EXIT_USAGE;
    uint32_t code = fp8_codec_encode(&f, x, NULL, NULL);
    char v[40];
    cli_format_double(v, sizeof v, fp8_codec_decode(&f, code));
    printf("0x%0*x\t%s\n", (f.bits + 3) / 4, code, v);
  }
  return EXIT_OK;
}
