package dev.priorityqueues.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The demo's contact sheet: one cell per thumbnail, in order, each with its tier and wait. */
class ContactSheetTest {

  private static byte[] jpeg(Color color, int w, int h) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  @Test
  void laysOutEveryThumbnailWithItsLabel() throws IOException {
    List<ContactSheet.Tile> tiles = List.of(
        new ContactSheet.Tile(jpeg(Color.RED, 320, 240), "premium", 120),
        new ContactSheet.Tile(jpeg(Color.GREEN, 320, 240), "regular", 4_560),
        new ContactSheet.Tile(jpeg(Color.BLUE, 240, 320), "regular", 9_000));

    BufferedImage sheet = ContactSheet.render(tiles);

    assertThat(sheet.getWidth()).isEqualTo(3 * ContactSheet.CELL_WIDTH);
    assertThat(sheet.getHeight()).isEqualTo(ContactSheet.CELL_HEIGHT + ContactSheet.LABEL_HEIGHT);
    Color first = new Color(sheet.getRGB(ContactSheet.CELL_WIDTH / 2, ContactSheet.CELL_HEIGHT / 2));
    Color second = new Color(sheet.getRGB(ContactSheet.CELL_WIDTH * 3 / 2, ContactSheet.CELL_HEIGHT / 2));
    assertThat(first.getRed()).isGreaterThan(200);
    assertThat(second.getGreen()).isGreaterThan(200);
    assertThat(ContactSheet.label(tiles.get(1))).isEqualTo("regular · waited 4.6 s");
    int white = 0;
    for (int x = 0; x < ContactSheet.CELL_WIDTH; x++) {
      for (int y = ContactSheet.CELL_HEIGHT; y < sheet.getHeight(); y++) {
        if ((sheet.getRGB(x, y) & 0xffffff) == 0xffffff) {
          white++;
        }
      }
    }
    assertThat(white).as("the label is drawn").isGreaterThan(20);
  }
}
