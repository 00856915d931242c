#include "engine/git/PackedWrites.h"

#include "engine/git/Error.h"
#include "engine/git/PackWriter.h"

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace clade::git {

namespace fs = std::filesystem;

/// An object database backend that, while `collecting`, keeps what is written in memory
/// and serves it back; otherwise it passes writes on to the next backend (loose objects).
/// libgit2 owns it once added (backends cannot be removed) and calls `free` with the
/// database.
struct CollectingBackend {
    git_odb_backend parent; // first: libgit2 hands this pointer back
    git_odb* odb = nullptr;
    bool collecting = false;
    std::vector<PackObject> objects;
    std::unordered_map<std::string, std::size_t> index; ///< raw 20-byte id -> objects[i]
};

namespace {

// After the mempack of a bulk import (1000), before the loose and pack backends (1, 2).
constexpr int kPriority = 500;

std::mutex registryMutex;
std::unordered_map<git_odb*, CollectingBackend*> registry; // one backend per database

std::string key(const git_oid* id)
{
    return std::string(reinterpret_cast<const char*>(id->id), GIT_OID_RAWSZ);
}

CollectingBackend* self(git_odb_backend* backend)
{
    return reinterpret_cast<CollectingBackend*>(backend);
}

const PackObject* findObject(git_odb_backend* backend, const git_oid* id)
{
    CollectingBackend* b = self(backend);
    const auto it = b->index.find(key(id));
    return it == b->index.end() ? nullptr : &b->objects[it->second];
}

int readObject(void** data, size_t* length, git_object_t* type, git_odb_backend* backend, const git_oid* id)
{
    const PackObject* object = findObject(backend, id);
    if (!object)
        return GIT_ENOTFOUND;
    void* copy = git_odb_backend_data_alloc(backend, object->data.size());
    if (!copy)
        return -1;
    std::memcpy(copy, object->data.data(), object->data.size());
    *data = copy;
    *length = object->data.size();
    *type = static_cast<git_object_t>(object->type);
    return 0;
}

int readHeader(size_t* length, git_object_t* type, git_odb_backend* backend, const git_oid* id)
{
    const PackObject* object = findObject(backend, id);
    if (!object)
        return GIT_ENOTFOUND;
    *length = object->data.size();
    *type = static_cast<git_object_t>(object->type);
    return 0;
}

int exists(git_odb_backend* backend, const git_oid* id)
{
    return findObject(backend, id) ? 1 : 0;
}

int writeObject(git_odb_backend* backend, const git_oid* id, const void* data, size_t length, git_object_t type)
{
    CollectingBackend* b = self(backend);
    if (!b->collecting)
        return GIT_PASSTHROUGH; // the next backend writes it
    if (b->index.emplace(key(id), b->objects.size()).second)
        b->objects.push_back({Oid::fromGit(*id), static_cast<int>(type),
                              std::string(static_cast<const char*>(data), length)});
    return 0;
}

// Blobs come through a stream (git_blob_create_from_buffer); outside a scope the stream is
// refused so that the loose backend opens its own. Inside, the bytes are buffered and
// stored like a plain write when the stream is finalized.
struct CollectingStream {
    git_odb_stream parent; // first: libgit2 hands this pointer back
    git_object_t type;
    std::string data;
};

int streamWrite(git_odb_stream* stream, const char* buffer, size_t length)
{
    reinterpret_cast<CollectingStream*>(stream)->data.append(buffer, length);
    return 0;
}

int streamFinalize(git_odb_stream* stream, const git_oid* id)
{
    auto* s = reinterpret_cast<CollectingStream*>(stream);
    return writeObject(stream->backend, id, s->data.data(), s->data.size(), s->type);
}

void streamFree(git_odb_stream* stream)
{
    delete reinterpret_cast<CollectingStream*>(stream);
}

int openWriteStream(git_odb_stream** out, git_odb_backend* backend, git_object_size_t size, git_object_t type)
{
    if (!self(backend)->collecting)
        return GIT_PASSTHROUGH;
    auto* stream = new CollectingStream{};
    stream->parent.backend = backend;
    stream->parent.mode = GIT_STREAM_WRONLY;
    stream->parent.write = &streamWrite;
    stream->parent.finalize_write = &streamFinalize;
    stream->parent.free = &streamFree;
    stream->type = type;
    stream->data.reserve(static_cast<std::size_t>(size));
    *out = &stream->parent;
    return 0;
}

void freeBackend(git_odb_backend* backend)
{
    CollectingBackend* b = self(backend);
    {
        std::lock_guard lock(registryMutex);
        registry.erase(b->odb);
    }
    delete b;
}

CollectingBackend* backendOf(git_repository* repo)
{
    git_odb* odb = nullptr;
    if (const int rc = git_repository_odb(&odb, repo); rc < 0)
        throwLastError(rc, "open the object database", repo);
    std::unique_lock lock(registryMutex);
    if (const auto it = registry.find(odb); it != registry.end()) {
        git_odb_free(odb); // the repository keeps its own reference
        return it->second;
    }
    auto* backend = new CollectingBackend;
    git_odb_init_backend(&backend->parent, GIT_ODB_BACKEND_VERSION);
    backend->parent.read = &readObject;
    backend->parent.read_header = &readHeader;
    backend->parent.exists = &exists;
    backend->parent.write = &writeObject;
    backend->parent.writestream = &openWriteStream;
    backend->parent.free = &freeBackend;
    backend->odb = odb;
    registry.emplace(odb, backend);
    lock.unlock();
    const int rc = git_odb_add_backend(odb, &backend->parent, kPriority);
    git_odb_free(odb);
    if (rc < 0) {
        {
            std::lock_guard again(registryMutex);
            registry.erase(backend->odb);
        }
        delete backend;
        throwLastError(rc, "add the pack-collecting object store", repo);
    }
    return backend;
}

void clear(CollectingBackend* backend)
{
    backend->objects.clear();
    backend->index.clear();
    backend->collecting = false;
}

PackObject readPackObject(git_odb* odb, const Oid& id, git_repository* repo)
{
    git_odb_object* object = nullptr;
    const git_oid raw = id.toGit();
    if (const int rc = git_odb_read(&object, odb, &raw); rc < 0)
        throwLastError(rc, "read object " + id.hex() + " of a pack to merge", repo);
    PackObject copy{id, static_cast<int>(git_odb_object_type(object)),
                    std::string(static_cast<const char*>(git_odb_object_data(object)),
                                git_odb_object_size(object))};
    git_odb_object_free(object);
    return copy;
}

fs::path packFolder(git_repository* repo)
{
    return fs::path(git_repository_path(repo)) / "objects" / "pack";
}

} // namespace

PackedWriteScope::PackedWriteScope(git_repository* repo) : m_repo(repo), m_backend(backendOf(repo))
{
    clear(m_backend);
    m_backend->collecting = true;
}

PackedWriteScope::~PackedWriteScope()
{
    clear(m_backend);
}

void PackedWriteScope::commit()
{
    m_backend->collecting = false;
    if (!m_backend->objects.empty())
        writePack(packFolder(m_repo), m_backend->objects);
    // From here the objects are read from the new pack (libgit2 rescans the folder when an
    // object is missing).
    clear(m_backend);
}

int consolidatePacks(git_repository* repo, std::size_t maxPacks, std::size_t smallObjects)
{
    const fs::path folder = packFolder(repo);
    std::vector<fs::path> indexes;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".idx")
            indexes.push_back(entry.path());
    if (indexes.size() <= maxPacks) // the usual case, decided without reading any index
        return 0;
    std::map<fs::path, std::vector<Oid>> small;
    for (const fs::path& idx : indexes) {
        std::vector<Oid> ids = readPackIndexIds(idx);
        if (ids.size() < smallObjects)
            small.emplace(idx, std::move(ids));
    }
    if (small.size() <= maxPacks)
        return 0;
    git_odb* raw = nullptr;
    if (const int rc = git_repository_odb(&raw, repo); rc < 0)
        throwLastError(rc, "open the object database", repo);
    const std::unique_ptr<git_odb, void (*)(git_odb*)> odb(raw, &git_odb_free);
    std::vector<PackObject> objects;
    std::set<std::string> seen;
    for (const auto& [idx, ids] : small)
        for (const Oid& id : ids)
            if (seen.insert(id.hex()).second)
                objects.push_back(readPackObject(odb.get(), id, repo));
    const std::string merged = writePack(folder, objects);
    // Index first: without it no reader looks for the pack.
    for (const auto& [idx, ids] : small) {
        if (idx.stem().string() == merged)
            continue;
        fs::remove(idx, ec);
        fs::path pack = idx;
        fs::remove(pack.replace_extension(".pack"), ec);
    }
    return static_cast<int>(small.size());
}

} // namespace clade::git
