#include "cc.h"
#include "cc_util.h"
int cc_compile(cc_net_t *net, const dlp_config_t *cfg, const cc_options_t *opt, cc_output_t *out, char *err, size_t errlen){(void)net;(void)cfg;(void)opt;(void)out;return cc_fail(err,errlen,"not yet");}
void cc_output_free(cc_output_t *out){(void)out;}
