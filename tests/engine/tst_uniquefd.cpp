// UniqueFd (engine/util/UniqueFd.h): one owner per descriptor, closed exactly once.
#include "engine/util/UniqueFd.h"

#include <QtTest>

#include <cerrno>
#include <fcntl.h>
#include <type_traits>
#include <unistd.h>
#include <utility>

using clade::engine::UniqueFd;

namespace {

bool isOpen(int fd)
{
    return ::fcntl(fd, F_GETFD) != -1;
}

int openNull()
{
    return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

} // namespace

static_assert(!std::is_copy_constructible_v<UniqueFd> && !std::is_copy_assignable_v<UniqueFd>);
static_assert(std::is_nothrow_move_constructible_v<UniqueFd> &&
              std::is_nothrow_move_assignable_v<UniqueFd>);

class TestUniqueFd : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void closesWhenItGoes()
    {
        int raw = -1;
        {
            const UniqueFd fd(openNull());
            raw = fd.get();
            QVERIFY(fd);
            QVERIFY(isOpen(raw));
        }
        QVERIFY(!isOpen(raw));
    }

    void emptyAndFailedOpensHoldNothing()
    {
        QVERIFY(!UniqueFd());
        const UniqueFd failed(::open("/nonexistent/clade", O_RDONLY | O_CLOEXEC));
        QVERIFY(!failed);
        QCOMPARE(failed.get(), -1);
    }

    void moveHandsOverOwnership()
    {
        UniqueFd first(openNull());
        const int raw = first.get();
        UniqueFd second(std::move(first));
        QVERIFY(!first); // a moved-from UniqueFd is empty, by contract
        QCOMPARE(second.get(), raw);

        UniqueFd third(openNull());
        const int replaced = third.get();
        third = std::move(second);
        QCOMPARE(third.get(), raw);
        QVERIFY(!isOpen(replaced));
        QVERIFY(isOpen(raw));

        auto& self = third;
        third = std::move(self);
        QCOMPARE(third.get(), raw);
        QVERIFY(isOpen(raw));
    }

    void releaseGivesUpWithoutClosing()
    {
        UniqueFd fd(openNull());
        const int raw = fd.release();
        QVERIFY(!fd);
        QVERIFY(isOpen(raw));
        ::close(raw);
    }

    void resetClosesAndTakesTheNewOne()
    {
        UniqueFd fd(openNull());
        const int old = fd.get();
        const int next = openNull();
        fd.reset(next);
        QVERIFY(!isOpen(old));
        QCOMPARE(fd.get(), next);
        fd.reset(next); // the same descriptor again: kept, not closed
        QVERIFY(isOpen(next));
        fd.reset();
        QVERIFY(!isOpen(next));
    }

    // An error read after a failed call names that call's failure, even when a descriptor
    // closed in between.
    void closingKeepsErrno()
    {
        UniqueFd fd(openNull());
        errno = ENOENT;
        fd.reset();
        QCOMPARE(errno, ENOENT);
    }
};

QTEST_GUILESS_MAIN(TestUniqueFd)
#include "tst_uniquefd.moc"
