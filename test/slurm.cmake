# SPDX-License-Identifier: GPL-2.0-only
# Tests with a private single-node Slurm cluster (test/slurm-cluster.sh), included from the
# root CMakeLists.txt after presec-sweep's target is defined. They need root, munge and
# slurm-wlm, and are skipped (status 77) without them. One at a time: each starts daemons.

# The test cluster itself: an array job of 4 tasks through sbatch --wait.
add_test(NAME cli.slurm-cluster
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test/slurm-cluster.sh check)
set_tests_properties(cli.slurm-cluster PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
                     RESOURCE_LOCK slurm-cluster)

if(TARGET presec-sweep AND TARGET presec-run)
  # The same campaign with the local executor and as a Slurm job array: identical results.
  add_test(NAME cli.sweep-slurm
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test/sweep-slurm.sh
                   $<TARGET_FILE:presec-sweep>
                   ${CMAKE_CURRENT_SOURCE_DIR}/scenarios/campaigns/slurm-test.xml
                   ${CMAKE_CURRENT_BINARY_DIR}/sweep-slurm)
  # In an ns-3 tree presec-run has ns-3's prefixed name: named explicitly, as in sweep.*.
  set_tests_properties(cli.sweep-slurm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180
                       RESOURCE_LOCK slurm-cluster
                       ENVIRONMENT PRESEC_SWEEP_RUNNER=$<TARGET_FILE:presec-run>)
endif()
