#pragma once

#include <QProgressBar>

namespace clade::ui {

/// A horizontal progress bar whose centred text reads over the filled part and the empty
/// part alike, in any style and palette: the text is drawn twice, clipped to each part, in
/// a colour that contrasts with what lies under it. (Some styles draw it in one colour, so
/// the part over the fill came out dark on dark blue.)
class ReadableProgressBar : public QProgressBar {
    Q_OBJECT
public:
    explicit ReadableProgressBar(QWidget* parent = nullptr);

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace clade::ui
