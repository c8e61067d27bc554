// flower-superexec: the mock of Flower's SuperExec that a 1.26 mock SuperLink starts
// (docs/mock-superlink.md, "Versions").
#include "superlink/app/superexec_app.h"

int main(int argc, char** argv) {
  return superlink::superexec_main(argc, argv);
}
