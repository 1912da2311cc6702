package dev.priorityqueues.worker.processing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads an ISO base media file (MP4) or QuickTime movie (MOV) far enough to know it is one and
 * what it holds: the top-level boxes are walked by their headers (skipping media data without
 * reading it), and the {@code moov} box is parsed for the movie header (duration) and the first
 * video track (its {@code tkhd} size, confirmed by an {@code hdlr} of type {@code vide}).
 *
 * <p>Every size is checked against the object, so a truncated or forged file is refused with a
 * reason rather than read out of bounds.
 */
final class IsoBmff {
  private IsoBmff() {}

  /** The movie box is metadata; anything larger is not a real one. */
  static final int MAX_MOOV_BYTES = 16 * 1024 * 1024;

  private static final int MAX_TOP_LEVEL_BOXES = 1024;

  /** Top-level atoms a QuickTime movie may start with when it has no {@code ftyp} (pre-2001 files). */
  private static final Set<String> QUICKTIME_LEADS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");

  /** True when the bytes start like a box: a plausible size and a four-character type. */
  static boolean looksLikeBox(byte[] head) {
    if (head.length < 8) {
      return false;
    }
    String type = type(head, 4);
    return printable(type) && (type.equals("ftyp") || QUICKTIME_LEADS.contains(type));
  }

  static VideoInfo probe(ByteSource source) {
    long size = source.size();
    long offset = 0;
    String brand = null;
    boolean quickTime = false;
    VideoInfo movie = null;
    for (int boxes = 0; offset < size; boxes++) {
      if (boxes >= MAX_TOP_LEVEL_BOXES) {
        throw new NotAVideo("it has more than " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
      }
      Header box = header(source, offset, size);
      if (boxes == 0) {
        if (box.type.equals("ftyp")) {
          byte[] ftyp = source.read(offset + box.headerLength, (int) Math.min(box.size - box.headerLength, 256));
          if (ftyp.length < 4) {
            throw new NotAVideo("its 'ftyp' box has no brand");
          }
          brand = type(ftyp, 0);
          quickTime = brand.equals("qt  ");
        } else if (QUICKTIME_LEADS.contains(box.type)) {
          quickTime = true;
          brand = "qt  ";
        } else {
          throw new NotAVideo("its first box is '" + box.type + "', not 'ftyp'");
        }
      }
      if (box.type.equals("moov")) {
        if (box.size > MAX_MOOV_BYTES) {
          throw new NotAVideo("its 'moov' box is " + box.size + " bytes, more than movie metadata ever needs");
        }
        byte[] moov = source.read(offset + box.headerLength, (int) (box.size - box.headerLength));
        movie = movie(ByteBuffer.wrap(moov), quickTime ? "mov" : "mp4", brand.trim());
      }
      offset += box.size;
    }
    if (movie == null) {
      throw new NotAVideo("it has no 'moov' box, so nothing can play it");
    }
    return movie;
  }

  private record Header(String type, long size, int headerLength) {}

  private static Header header(ByteSource source, long offset, long fileSize) {
    byte[] bytes = source.read(offset, 16);
    if (bytes.length < 8) {
      throw new NotAVideo("it ends inside a box header at byte " + offset);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long size = Integer.toUnsignedLong(buffer.getInt(0));
    String type = type(bytes, 4);
    if (!printable(type)) {
      throw new NotAVideo("byte " + offset + " does not start a box (type " + hex(bytes, 4, 4) + ")");
    }
    int headerLength = 8;
    if (size == 1) {
      if (bytes.length < 16) {
        throw new NotAVideo("it ends inside the header of box '" + type + "'");
      }
      size = buffer.getLong(8);
      headerLength = 16;
    } else if (size == 0) {
      size = fileSize - offset;
    }
    if (size < headerLength || size > fileSize - offset) {
      throw new NotAVideo("box '" + type + "' at byte " + offset + " claims " + size + " bytes, but "
          + (fileSize - offset) + " remain");
    }
    return new Header(type, size, headerLength);
  }

  /** The children of {@code moov}: the movie header and the tracks. */
  private static VideoInfo movie(ByteBuffer moov, String container, String brand) {
    Long durationMillis = null;
    int[] dimensions = null;
    while (moov.hasRemaining()) {
      Box child = child(moov, "moov");
      if (child.type.equals("mvhd")) {
        durationMillis = movieDuration(child.content);
      } else if (child.type.equals("trak") && dimensions == null) {
        dimensions = videoTrack(child.content);
      }
    }
    if (dimensions == null) {
      throw new NotAVideo("its movie has no video track");
    }
    Integer width = dimensions[0] > 0 ? dimensions[0] : null;
    Integer height = dimensions[1] > 0 ? dimensions[1] : null;
    return new VideoInfo(container, brand, durationMillis, width, height);
  }

  /**
   * {@code mvhd}: the duration in the movie's time scale; version 1 has 64-bit times. All ones
   * means "unknown". The division comes first, so a forged 64-bit duration cannot overflow into a
   * negative number of milliseconds; anything over {@link ContainerProbe#MAX_DURATION_MILLIS} is
   * refused.
   */
  private static Long movieDuration(ByteBuffer mvhd) {
    need(mvhd, 1, "mvhd");
    long timescale;
    long duration;
    if ((mvhd.get(0) & 0xff) == 1) {
      need(mvhd, 32, "mvhd");
      timescale = Integer.toUnsignedLong(mvhd.getInt(20));
      duration = mvhd.getLong(24);
    } else {
      need(mvhd, 20, "mvhd");
      timescale = Integer.toUnsignedLong(mvhd.getInt(12));
      long raw = Integer.toUnsignedLong(mvhd.getInt(16));
      duration = raw == 0xffffffffL ? -1 : raw;
    }
    if (duration == -1) {
      return null;
    }
    if (timescale == 0) {
      throw new NotAVideo("its movie header has a time scale of 0, so its duration is undefined");
    }
    long seconds = Long.divideUnsigned(duration, timescale);
    if (duration < 0 || seconds > ContainerProbe.MAX_DURATION_MILLIS / 1000) {
      throw new NotAVideo("its movie header claims " + Long.toUnsignedString(duration) + " units at " + timescale
          + " per second, longer than " + ContainerProbe.MAX_DURATION_MILLIS + " ms");
    }
    return seconds * 1000 + Long.remainderUnsigned(duration, timescale) * 1000 / timescale;
  }

  /** A {@code trak}: its {@code tkhd} size if its {@code mdia/hdlr} says it is video, else null. */
  private static int[] videoTrack(ByteBuffer trak) {
    int[] dimensions = null;
    boolean video = false;
    while (trak.hasRemaining()) {
      Box child = child(trak, "trak");
      if (child.type.equals("tkhd")) {
        dimensions = trackSize(child.content);
      } else if (child.type.equals("mdia")) {
        video = handler(child.content).equals("vide");
      }
    }
    return video && dimensions != null ? dimensions : null;
  }

  /** {@code tkhd}: width and height, 16.16 fixed point, after the version-dependent times. */
  private static int[] trackSize(ByteBuffer tkhd) {
    need(tkhd, 1, "tkhd");
    int at = 4 + ((tkhd.get(0) & 0xff) == 1 ? 32 : 20) + 8 + 2 + 2 + 2 + 2 + 36;
    need(tkhd, at + 8, "tkhd");
    return new int[] {tkhd.getInt(at) >>> 16, tkhd.getInt(at + 4) >>> 16};
  }

  /** {@code mdia}: the handler type in its {@code hdlr}. */
  private static String handler(ByteBuffer mdia) {
    while (mdia.hasRemaining()) {
      Box child = child(mdia, "mdia");
      if (child.type.equals("hdlr")) {
        need(child.content, 12, "hdlr");
        byte[] bytes = new byte[4];
        child.content.get(8, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
    }
    return "";
  }

  private record Box(String type, ByteBuffer content) {}

  /** The next child box of {@code parent}; advances the parent past it. */
  private static Box child(ByteBuffer parent, String parentType) {
    int start = parent.position();
    if (parent.remaining() < 8) {
      throw new NotAVideo("'" + parentType + "' ends inside a box header");
    }
    long size = Integer.toUnsignedLong(parent.getInt(start));
    int header = 8;
    if (size == 1) {
      if (parent.remaining() < 16) {
        throw new NotAVideo("'" + parentType + "' ends inside a box header");
      }
      size = parent.getLong(start + 8);
      header = 16;
    } else if (size == 0) {
      size = parent.remaining();
    }
    if (size < header || size > parent.remaining()) {
      throw new NotAVideo("a box inside '" + parentType + "' claims " + size + " bytes, but " + parent.remaining() + " remain");
    }
    byte[] type = new byte[4];
    parent.get(start + 4, type);
    ByteBuffer content = parent.slice(start + header, (int) size - header);
    parent.position(start + (int) size);
    return new Box(new String(type, StandardCharsets.ISO_8859_1), content);
  }

  private static void need(ByteBuffer box, int length, String type) {
    if (box.limit() < length) {
      throw new NotAVideo("its '" + type + "' box is " + box.limit() + " bytes, too short to be one");
    }
  }

  static String type(byte[] bytes, int at) {
    return new String(bytes, at, 4, StandardCharsets.ISO_8859_1);
  }

  private static boolean printable(String type) {
    return type.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  static String hex(byte[] bytes, int from, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < Math.min(bytes.length, from + count); i++) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(String.format("%02x", bytes[i] & 0xff));
    }
    return out.toString();
  }
}
