// Overloaded{lambdas...}: one callable from several lambdas, for std::visit over Event::Action:
// each kind of event is handled in its own case (without a generic one, a missing case does not
// compile).
#pragma once

namespace harness {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace harness
