/* commands.h - one entry point per subcommand, each in cmd_<name>.c. */
#ifndef FP8_COMMANDS_H
#define FP8_COMMANDS_H

int cmd_formats(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_cast(int argc, char **argv);
int cmd_help(int argc, char **argv);
/* issue 3 */
int cmd_mac(int argc, char **argv);
int cmd_accumulate(int argc, char **argv);
int cmd_gemm(int argc, char **argv);       /* issue 11 */
int cmd_window(int argc, char **argv);     /* issue 13 */

/* issue 4 */
int cmd_verify(int argc, char **argv);

/* issue 5 */
int cmd_gates(int argc, char **argv);
int cmd_synth(int argc, char **argv);

/* issue 6 */
int cmd_accuracy(int argc, char **argv);

/* issue 7 */
int cmd_explore(int argc, char **argv);
int cmd_figures(int argc, char **argv);

/* issue 15 */
int cmd_tensors(int argc, char **argv);


#endif
