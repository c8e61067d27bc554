// mock-superlink: a stand-in for Flower's SuperLink with failpoints (docs/mock-superlink.md).
#include "superlink/app/superlink_app.h"

int main(int argc, char** argv) {
  return superlink::superlink_main(argc, argv);
}
