package dev.priorityqueues.worker.processing;

/**
 * Decides from an object's bytes, never its name or declared type, whether it is an MP4, MOV or
 * WebM video, and reads what the container says about it.
 */
public final class ContainerProbe {
  private ContainerProbe() {}

  /**
   * The longest duration a container may claim: 30 days. Longer is a forged header (a real
   * upload is at most 5 GiB), refused so the arithmetic on it stays far from overflow.
   */
  public static final long MAX_DURATION_MILLIS = 30L * 24 * 3600 * 1000;

  /** The smallest possible box or EBML header. */
  private static final int MIN_BYTES = 8;

  /**
   * @throws NotAVideo when the bytes are not one of the accepted containers, or are damaged
   */
  public static VideoInfo probe(ByteSource source) {
    long size = source.size();
    if (size < MIN_BYTES) {
      throw new NotAVideo("the object is " + size + " bytes, too small for any video container");
    }
    byte[] head = source.read(0, 16);
    if (Ebml.looksLikeEbml(head)) {
      return Ebml.probe(source);
    }
    if (IsoBmff.looksLikeBox(head)) {
      return IsoBmff.probe(source);
    }
    throw new NotAVideo("it is not an MP4, MOV or WebM container (it starts with " + IsoBmff.hex(head, 0, 8) + ")");
  }
}
