# SPDX-License-Identifier: Apache-2.0
# Long-running fault and robustness runs (issue 17); included by the top Makefile after
# verif/sim/sim.mk. Not part of make test / make sim.
#
#   make soak MINUTES=30 [SOAK_SEED=N] [SHAPE=...]
#       random and fault programs with new seeds (default: from the clock) on every shape with the
#       default memory sizes, co-simulated until MINUTES have passed; prints programs per minute
#       and mismatches (verif/fault/soak.sh)
MINUTES   ?= 10
SOAK_SEED ?= $(shell date +%s)
SOAK_SHAPES := $(if $(SHAPE),$(SHAPE),$(filter-out %-smallmem,$(SIM_SHAPES)))

.PHONY: soak
soak: deps-sim
	@$(MAKE) --no-print-directory $(foreach s,$(SOAK_SHAPES),$(SIM_DIR)/sim_$(s))
	@verif/fault/soak.sh $(SIM_DIR) $(MINUTES) $(SOAK_SEED) "$(SOAK_SHAPES)"
