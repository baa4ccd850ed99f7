/* mac_cycle.c - the control protocol of a MAC unit (mac.h, "Control
 * protocol"): one clock cycle, priority reset > clear > load > en > hold. */
#include "mac.h"

int fp8_mac_cycle(fp8_mac *m, const fp8_mac_ctrl *c, char *err, size_t errlen)
{
  if (c->rst || c->clear) {
    fp8_mac_clear(m);
    return 0;
  }
  if (c->load)
    return fp8_mac_set_state(m, &c->load_state, err, errlen);
  if (c->en)
    fp8_mac_step(m, c->a, c->b);
  return 0;
}
