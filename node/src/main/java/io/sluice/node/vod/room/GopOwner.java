package io.sluice.node.vod.room;

/** Where a GOP is listed (its room): told when the cache drops the GOP, on the media loop. */
interface GopOwner {

    void onEvicted(Gop gop);
}
