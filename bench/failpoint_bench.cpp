// What a failpoint site costs: unarmed, while another site is armed, armed with `off`; and what
// parsing a typical specification costs.
#include <benchmark/benchmark.h>

#include "failpoint/failpoint.h"

namespace {

constexpr const char* kTypicalSpec =
    "scheduler.tick=2*off->panic(database is locked);"
    "rest.request=20%return(503)->sleep(10);"
    "rest.listen=1*pause";

void Disarm(const benchmark::State&) {
  failpoint::teardown();
}
void ArmAnother(const benchmark::State&) {
  failpoint::configure("rest.request=off");
}
void ArmOff(const benchmark::State&) {
  failpoint::configure("scheduler.tick=off");
}

// Nothing armed: the one relaxed load of the fast path.
void BM_UnarmedSite(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(FAILPOINT("scheduler.tick"));
}
BENCHMARK(BM_UnarmedSite)->Setup(Disarm)->Teardown(Disarm)->ThreadRange(1, 2);

// Another site armed: the lookup under the shared lock, which finds nothing.
void BM_SiteWhileAnotherIsArmed(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(FAILPOINT("scheduler.tick"));
}
BENCHMARK(BM_SiteWhileAnotherIsArmed)->Setup(ArmAnother)->Teardown(Disarm)->ThreadRange(1, 2);

// This site armed with `off`: lookup, hit count, evaluation of the action, nothing fires.
void BM_ArmedOffSite(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(FAILPOINT("scheduler.tick"));
}
BENCHMARK(BM_ArmedOffSite)->Setup(ArmOff)->Teardown(Disarm)->ThreadRange(1, 2);

// Parsing (and arming) a typical three-site specification.
void BM_ConfigureTypicalSpec(benchmark::State& state) {
  for (auto _ : state) failpoint::configure(kTypicalSpec);
  failpoint::teardown();
}
BENCHMARK(BM_ConfigureTypicalSpec);

// Checking one site's actions against the grammar, arming nothing.
void BM_CheckActions(benchmark::State& state) {
  for (auto _ : state) failpoint::check_actions("rest.request", "20%return(503)->sleep(10)");
}
BENCHMARK(BM_CheckActions);

}  // namespace

BENCHMARK_MAIN();
