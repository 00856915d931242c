#pragma once

#include "ui/DiffBlockData.h"

#include <QColor>

namespace clade::ui {

/// One light palette for every diff surface (text, gutter, file list), chosen to stay
/// subtle behind syntax colours and readable for red-green colour blindness (the gutter
/// also prints + and −).
struct DiffColors {
    static QColor lineBackground(DiffBlockData::Kind kind)
    {
        switch (kind) {
        case DiffBlockData::Kind::Added:
            return QColor(0xe6, 0xff, 0xec);
        case DiffBlockData::Kind::Deleted:
            return QColor(0xff, 0xeb, 0xe9);
        case DiffBlockData::Kind::FileHeader:
            return QColor(0xea, 0xee, 0xf2);
        case DiffBlockData::Kind::HunkHeader:
            return QColor(0xf0, 0xf5, 0xfc);
        case DiffBlockData::Kind::Filler:
            return QColor(0xf6, 0xf8, 0xfa);
        default:
            return {};
        }
    }
    static QColor gutterBackground(DiffBlockData::Kind kind)
    {
        switch (kind) {
        case DiffBlockData::Kind::Added:
            return QColor(0xcc, 0xff, 0xd8);
        case DiffBlockData::Kind::Deleted:
            return QColor(0xff, 0xd7, 0xd5);
        default:
            return lineBackground(kind).isValid() ? lineBackground(kind) : gutter();
        }
    }
    /// Behind the characters that changed within an added or deleted line.
    static QColor emphasis(DiffBlockData::Kind kind)
    {
        return kind == DiffBlockData::Kind::Added ? QColor(0xab, 0xf2, 0xbc)
                                                  : QColor(0xff, 0xc1, 0xbd);
    }
    static QColor gutter() { return QColor(0xfa, 0xfb, 0xfc); }
    static QColor gutterText() { return QColor(0x8c, 0x95, 0x9f); }
    static QColor text() { return QColor(0x1f, 0x23, 0x28); }
    static QColor mutedText() { return QColor(0x59, 0x63, 0x6e); }
    static QColor added() { return QColor(0x1a, 0x7f, 0x37); }
    static QColor deleted() { return QColor(0xcf, 0x22, 0x2e); }
    static QColor border() { return QColor(0xd0, 0xd7, 0xde); }
};

} // namespace clade::ui
