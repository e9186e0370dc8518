/* SPDX-License-Identifier: Apache-2.0 */
/* --version of every tool (dlp_version.h). DLP_GIT_DESCRIBE comes from the Makefile. */
#include "dlp_version.h"

#include <string.h>

#include "dlp_isa_gen.h"
#include "dlp_net.h"
#include "dlp_prog.h"

#ifndef DLP_GIT_DESCRIBE
#define DLP_GIT_DESCRIBE "unknown"
#endif

const char *dlp_version(void)
{
    return DLP_GIT_DESCRIBE;
}

void dlp_print_version(FILE *f, const char *tool)
{
    fprintf(f,
            "%s (OpenDLP) %s\n"
            "ISA version %d; program binary (.dlpb) format %d; network package (.dlpn) format "
            "%d; weight file (.dlpw) format %d; dlprun --json format %d\n",
            tool, dlp_version(), DLP_ISA_VERSION, DLP_PROG_FORMAT, DLP_NET_VERSION,
            DLP_WEIGHTS_FORMAT, DLP_RUN_JSON_FORMAT);
}

int dlp_std_option(const char *a, const char *tool, void (*usage)(FILE *))
{
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        usage(stdout);
        return 1;
    }
    if (!strcmp(a, "--version")) {
        dlp_print_version(stdout, tool);
        return 1;
    }
    return 0;
}
