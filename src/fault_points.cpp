#include "fault_points.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace envstore {
namespace {

struct Fault
{
    std::string point;
    std::string action;
};

const Fault& configured_fault()
{
    static const Fault fault = [] {
        const char* value = std::getenv("ENVSTORE_FAULT");
        std::string text = value != nullptr ? value : "";
        auto equals = text.find('=');
        if (equals == std::string::npos) {
            return Fault{};
        }
        return Fault{text.substr(0, equals), text.substr(equals + 1)};
    }();
    return fault;
}

} // namespace

void fault_point(std::string_view point)
{
    const Fault& fault = configured_fault();
    if (fault.point.empty() || fault.point != point) {
        return;
    }
    if (fault.action == "crash") {
        kill(getpid(), SIGKILL);
    }
    if (fault.action == "throw") {
        throw std::runtime_error(fmt::format("fault injected at \"{}\"", point));
    }
    if (fault.action.starts_with("sleep:")) {
        int milliseconds = std::atoi(fault.action.c_str() + 6);
        std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    }
}

} // namespace envstore
