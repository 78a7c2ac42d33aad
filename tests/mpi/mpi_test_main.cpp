// GoogleTest under mpiexec: every rank runs every test (the jobs are collective); only rank 0
// prints, and a rank whose test failed fails the run through its exit status.
#include <gtest/gtest.h>

#include <mrtbb/mpi/communicator.hpp>
#include <mrtbb/mpi/environment.hpp>

int main(int argc, char** argv) {
  mrtbb::mpi::Environment mpi(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  if (!mrtbb::mpi::Communicator().is_root()) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  return RUN_ALL_TESTS();
}
