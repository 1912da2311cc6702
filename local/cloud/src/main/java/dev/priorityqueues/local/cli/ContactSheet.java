package dev.priorityqueues.local.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** One PNG of the demo's thumbnails in a grid, each labelled with its tier and its queue wait. */
final class ContactSheet {
  private ContactSheet() {}

  /** One thumbnail (JPEG bytes) and its label's facts. */
  record Tile(byte[] jpeg, String tier, long waitMillis) {}

  static final int CELL_WIDTH = 160;
  static final int CELL_HEIGHT = 120;
  static final int LABEL_HEIGHT = 18;
  static final int COLUMNS = 8;

  static BufferedImage render(List<Tile> tiles) {
    int columns = Math.max(1, Math.min(COLUMNS, tiles.size()));
    int rows = Math.max(1, (tiles.size() + columns - 1) / columns);
    BufferedImage sheet = new BufferedImage(columns * CELL_WIDTH, rows * (CELL_HEIGHT + LABEL_HEIGHT),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.DARK_GRAY);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i < tiles.size(); i++) {
        Tile tile = tiles.get(i);
        int x = (i % columns) * CELL_WIDTH;
        int y = (i / columns) * (CELL_HEIGHT + LABEL_HEIGHT);
        BufferedImage thumbnail = read(tile.jpeg());
        double scale = Math.min((double) CELL_WIDTH / thumbnail.getWidth(), (double) CELL_HEIGHT / thumbnail.getHeight());
        int w = (int) (thumbnail.getWidth() * scale);
        int h = (int) (thumbnail.getHeight() * scale);
        g.drawImage(thumbnail, x + (CELL_WIDTH - w) / 2, y + (CELL_HEIGHT - h) / 2, w, h, null);
        g.setColor(Color.WHITE);
        g.drawString(label(tile), x + 4, y + CELL_HEIGHT + LABEL_HEIGHT - 5);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  static String label(Tile tile) {
    return String.format(Locale.ROOT, "%s · waited %.1f s", tile.tier(), tile.waitMillis() / 1000.0);
  }

  static Path write(List<Tile> tiles, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(render(tiles), "png", file.toFile());
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage read(byte[] jpeg) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
      if (image == null) {
        throw new IllegalStateException("a thumbnail is not a readable image");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
