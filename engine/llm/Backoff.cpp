#include "engine/llm/Backoff.h"

#include <QDateTime>
#include <QString>

#include <algorithm>
#include <cmath>
#include <string>

namespace clade::llm {

std::chrono::milliseconds fullJitterDelay(int attempt, std::chrono::milliseconds initial,
                                          std::chrono::milliseconds cap, double unit)
{
    // 2^attempt overflows nothing in double and is cut by the cap anyway.
    const double ceiling =
        std::min(static_cast<double>(cap.count()),
                 static_cast<double>(initial.count()) * std::pow(2.0, std::max(0, attempt)));
    const double draw = std::clamp(unit, 0.0, 1.0) * ceiling;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(draw)));
}

std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now)
{
    QString text = QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size())).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber) {
        if (!std::isfinite(seconds) || seconds < 0)
            return std::nullopt;
        return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
    }
    // IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT": Qt's RFC 2822 parser wants a numeric
    // zone, and HTTP dates are always GMT.
    if (text.endsWith(QLatin1String(" GMT")) || text.endsWith(QLatin1String(" UTC")))
        text = text.chopped(4) + QLatin1String(" +0000");
    const QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!date.isValid())
        return std::nullopt;
    const auto nowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    return std::chrono::milliseconds(std::max<qint64>(0, date.toMSecsSinceEpoch() - nowMs));
}

} // namespace clade::llm
