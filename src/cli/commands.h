/* commands.h - one entry point per subcommand, each in cmd_<name>.c, and the
 * table that names them (commands.c). */
#ifndef FP8_COMMANDS_H
#define FP8_COMMANDS_H

/* formats and codecs */
int cmd_formats(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_cast(int argc, char **argv);
/* units: the golden model, accumulation error, matrix products */
int cmd_mac(int argc, char **argv);
int cmd_accumulate(int argc, char **argv);
int cmd_gemm(int argc, char **argv);
/* RTL and cost */
int cmd_verify(int argc, char **argv);
int cmd_gates(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_window(int argc, char **argv);
/* accuracy and design exploration */
int cmd_accuracy(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_tensors(int argc, char **argv);
int cmd_figures(int argc, char **argv);
/* 'fp8lab help [COMMAND]' */
int cmd_help(int argc, char **argv);

#endif
