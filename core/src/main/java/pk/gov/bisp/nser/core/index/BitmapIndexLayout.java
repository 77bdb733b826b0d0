package pk.gov.bisp.nser.core.index;

/**
 * Layout of {@code bitmaps.bin}, version {@value #VERSION}: named RoaringBitmaps in the portable format.
 * <pre>
 *  0   FileHeader: magic "NSERBMAP", version (u32), reserved
 * 16   u32 bitmap count n      20  u32 reserved (0)
 * 24   u64 universe: the household count; every bit is below it
 * 32   directory, n entries in name order: u16 name length, UTF-8 name, u64 offset from file start, u32 length
 *  .   bitmap data, each in RoaringBitmap's portable serialisation
 * </pre>
 */
public final class BitmapIndexLayout {

    public static final String MAGIC = "NSERBMAP";
    public static final int VERSION = 1;
    public static final int COUNT_OFFSET = 16;
    public static final int UNIVERSE_OFFSET = 24;
    public static final int DIRECTORY_OFFSET = 32;
    public static final int MAX_NAME_BYTES = 255;

    private BitmapIndexLayout() {
    }

    public static void checkEntry(String name, long offset, long length, long fileSize) {
        if (offset < DIRECTORY_OFFSET || length < 0 || offset + length > fileSize) {
            throw new IllegalArgumentException("bitmap '" + name + "' offset=" + offset + " length=" + length
                    + " outside file size=" + fileSize);
        }
    }
}
