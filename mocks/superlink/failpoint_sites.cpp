#include "superlink/failpoint_sites.h"

namespace superlink {

const std::vector<failpoint::SiteInfo>& superlink_sites() {
  static const std::vector<failpoint::SiteInfo> kSites{
      {"scheduler.start", "scheduler thread, before its first tick"},
      {"scheduler.tick", "scheduler thread, at each tick (every 100 ms)"},
      {"scheduler.launch", "scheduler thread, before starting a ServerApp for a pending run"},
      {"rest.start", "rest thread, before it binds the Fleet API port"},
      {"rest.listen", "rest thread, after the bind, before serving"},
      {"rest.request",
       "rest server, each Fleet API request before routing (return(STATUS) answers STATUS)"},
      {"superlink.startup",
       "main thread, once every server and critical thread started, before the signal "
       "handlers are installed (pause or sleep: a signal here meets no handler)"},
  };
  return kSites;
}

}  // namespace superlink
