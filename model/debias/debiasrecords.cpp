#include "debiasrecords.h"

namespace untangle {

const HeadAccuracy *EvaluationRecord::findHead(const std::string &name) const
{
    for (const auto &head : heads)
        if (head.head == name)
            return &head;
    return nullptr;
}

} // namespace untangle
