package dev.priorityqueues.worker.processing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a WebM file (Matroska's EBML with DocType {@code webm}) far enough to know it is one and
 * what it holds: the EBML header's DocType, then the Segment's {@code Info} (timestamp scale and
 * duration) and {@code Tracks} (the first video track's pixel size). Reading stops at the first
 * {@code Cluster}, where the media begins. No library fitted (the Java Matroska readers are
 * unmaintained or want the whole file), and these four elements need only variable-length
 * integers.
 */
final class Ebml {
  private Ebml() {}

  static final long EBML_HEADER = 0x1A45DFA3L;
  private static final long DOC_TYPE = 0x4282L;
  private static final long SEGMENT = 0x18538067L;
  private static final long INFO = 0x1549A966L;
  private static final long TIMESTAMP_SCALE = 0x2AD7B1L;
  private static final long DURATION = 0x4489L;
  private static final long TRACKS = 0x1654AE6BL;
  private static final long TRACK_ENTRY = 0xAEL;
  private static final long TRACK_TYPE = 0x83L;
  private static final long VIDEO = 0xE0L;
  private static final long PIXEL_WIDTH = 0xB0L;
  private static final long PIXEL_HEIGHT = 0xBAL;
  private static final long CLUSTER = 0x1F43B675L;

  /** Info and Tracks are metadata; anything larger is not a real one. */
  private static final int MAX_METADATA_BYTES = 1024 * 1024;

  private static final int MAX_SEGMENT_CHILDREN = 256;

  static boolean looksLikeEbml(byte[] head) {
    return head.length >= 4 && (ByteBuffer.wrap(head).getInt(0) & 0xffffffffL) == EBML_HEADER;
  }

  static VideoInfo probe(ByteSource source) {
    long size = source.size();
    Element header = element(source, 0, size);
    byte[] headerBytes = source.read(header.dataStart, (int) Math.min(header.size, 4096));
    String docType = docType(ByteBuffer.wrap(headerBytes));
    if (!"webm".equals(docType)) {
      throw new NotAVideo("it is an EBML file of DocType '" + docType + "'; the accepted containers are MP4, MOV and WebM");
    }
    long offset = header.end();
    Element segment = element(source, offset, size);
    if (segment.id != SEGMENT) {
      throw new NotAVideo("its EBML header is not followed by a Segment");
    }
    Long durationMillis = null;
    int[] dimensions = null;
    boolean sawInfo = false;
    offset = segment.dataStart;
    for (int children = 0; offset < segment.end() && children < MAX_SEGMENT_CHILDREN; children++) {
      Element child = element(source, offset, segment.end());
      if (child.id == CLUSTER || (sawInfo && dimensions != null)) {
        break;
      }
      if (child.id == INFO || child.id == TRACKS) {
        if (child.unknownSize || child.size > MAX_METADATA_BYTES) {
          throw new NotAVideo("its " + (child.id == INFO ? "Info" : "Tracks") + " element has an impossible size");
        }
        ByteBuffer data = ByteBuffer.wrap(source.read(child.dataStart, (int) child.size));
        if (child.id == INFO) {
          durationMillis = duration(data);
          sawInfo = true;
        } else {
          dimensions = videoTrack(data);
        }
      }
      if (child.unknownSize) {
        break;
      }
      offset = child.end();
    }
    if (dimensions == null) {
      throw new NotAVideo("its WebM segment has no video track");
    }
    return new VideoInfo("webm", docType, durationMillis,
        dimensions[0] > 0 ? dimensions[0] : null, dimensions[1] > 0 ? dimensions[1] : null);
  }

  /** One element's header as read from the source: id, data start and size. */
  private record Element(long id, long dataStart, long size, boolean unknownSize) {
    long end() {
      return dataStart + size;
    }
  }

  private static Element element(ByteSource source, long offset, long limit) {
    byte[] bytes = source.read(offset, 12);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long id = vint(buffer, true, offset);
    int sizeStart = buffer.position();
    long size = vint(buffer, false, offset);
    boolean unknown = size == unknownSize(buffer.position() - sizeStart);
    long dataStart = offset + buffer.position();
    if (unknown) {
      size = limit - dataStart;
    }
    if (size < 0 || dataStart + size > limit) {
      throw new NotAVideo("the EBML element at byte " + offset + " claims " + size + " bytes, but "
          + Math.max(0, limit - dataStart) + " remain");
    }
    return new Element(id, dataStart, size, unknown);
  }

  /** The DocType string among the EBML header's children. */
  private static String docType(ByteBuffer header) {
    while (header.hasRemaining()) {
      long id = vint(header, true, header.position());
      int length = length(header);
      if (id == DOC_TYPE) {
        byte[] text = new byte[length];
        header.get(text);
        return new String(text, StandardCharsets.US_ASCII).replace("\0", "");
      }
      header.position(header.position() + length);
    }
    throw new NotAVideo("its EBML header has no DocType");
  }

  /**
   * Info: Duration (a float) in units of TimestampScale nanoseconds (default 1 ms). A scale of 0
   * or over 2^63, and a duration that is negative, not finite or over
   * {@link ContainerProbe#MAX_DURATION_MILLIS}, are forged: refused rather than rounded into a
   * negative or saturated number.
   */
  private static Long duration(ByteBuffer info) {
    long scale = 1_000_000;
    Double duration = null;
    while (info.hasRemaining()) {
      long id = vint(info, true, info.position());
      int length = length(info);
      if (id == TIMESTAMP_SCALE) {
        scale = unsigned(info, length);
        if (scale <= 0) {
          throw new NotAVideo("its TimestampScale is " + Long.toUnsignedString(scale) + " ns, outside 1 to 2^63-1");
        }
      } else if (id == DURATION && (length == 4 || length == 8)) {
        duration = length == 4 ? (double) info.getFloat() : info.getDouble();
      } else {
        info.position(info.position() + length);
      }
    }
    if (duration == null) {
      return null;
    }
    double millis = duration * (scale / 1_000_000.0);
    if (!Double.isFinite(duration) || duration < 0 || !(millis <= ContainerProbe.MAX_DURATION_MILLIS)) {
      throw new NotAVideo("its Duration is " + duration + " at a TimestampScale of " + scale
          + " ns, not a length from 0 to " + ContainerProbe.MAX_DURATION_MILLIS + " ms");
    }
    return Math.round(millis);
  }

  /** Tracks: the pixel size of the first TrackEntry whose TrackType is 1 (video). */
  private static int[] videoTrack(ByteBuffer tracks) {
    while (tracks.hasRemaining()) {
      long id = vint(tracks, true, tracks.position());
      int length = length(tracks);
      ByteBuffer entry = tracks.slice(tracks.position(), length);
      tracks.position(tracks.position() + length);
      if (id != TRACK_ENTRY) {
        continue;
      }
      long type = 0;
      int[] dimensions = {0, 0};
      while (entry.hasRemaining()) {
        long childId = vint(entry, true, entry.position());
        int childLength = length(entry);
        if (childId == TRACK_TYPE) {
          type = unsigned(entry, childLength);
        } else if (childId == VIDEO) {
          ByteBuffer video = entry.slice(entry.position(), childLength);
          entry.position(entry.position() + childLength);
          while (video.hasRemaining()) {
            long videoId = vint(video, true, video.position());
            int videoLength = length(video);
            if (videoId == PIXEL_WIDTH) {
              dimensions[0] = (int) unsigned(video, videoLength);
            } else if (videoId == PIXEL_HEIGHT) {
              dimensions[1] = (int) unsigned(video, videoLength);
            } else {
              video.position(video.position() + videoLength);
            }
          }
        } else {
          entry.position(entry.position() + childLength);
        }
      }
      if (type == 1) {
        return dimensions;
      }
    }
    return null;
  }

  /** An element's data length, checked against what is left of its parent. */
  private static int length(ByteBuffer buffer) {
    long length = vint(buffer, false, buffer.position());
    if (length < 0 || length > buffer.remaining()) {
      throw new NotAVideo("an EBML element claims " + length + " bytes, but " + buffer.remaining() + " remain");
    }
    return (int) length;
  }

  private static long unsigned(ByteBuffer buffer, int length) {
    if (length > 8) {
      throw new NotAVideo("an EBML integer is " + length + " bytes long");
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = (value << 8) | (buffer.get() & 0xff);
    }
    return value;
  }

  /**
   * An EBML variable-length integer: the count of leading zero bits of the first byte gives the
   * length (1 to 8 bytes). Ids keep their length marker bit; sizes do not.
   */
  private static long vint(ByteBuffer buffer, boolean keepMarker, long offset) {
    if (!buffer.hasRemaining()) {
      throw new NotAVideo("it ends inside an EBML element at byte " + offset);
    }
    int first = buffer.get() & 0xff;
    int length = Integer.numberOfLeadingZeros(first) - 23;
    if (first == 0 || length > 8) {
      throw new NotAVideo("byte " + offset + " does not start an EBML element");
    }
    if (buffer.remaining() < length - 1) {
      throw new NotAVideo("it ends inside an EBML element at byte " + offset);
    }
    long value = keepMarker ? first : first & (0xff >> length);
    for (int i = 1; i < length; i++) {
      value = (value << 8) | (buffer.get() & 0xff);
    }
    return value;
  }

  /** The all-ones value that means "size unknown" for a size of {@code length} bytes. */
  private static long unknownSize(int length) {
    return (1L << (7 * length)) - 1;
  }
}
