using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace CoursePlatform.Testing;

public sealed record TestSlide(string? Title, string[] Body, string[][]? Table = null, string? Notes = null);

/// <summary>
/// Real .pptx decks written with the OpenXML SDK, for the ingestion tests and the ingestion benchmark.
/// </summary>
public static class PptxDeck
{
    /// <summary>
    /// A deck with a slide master and layout, one slide part per slide (title and body placeholders,
    /// an optional table, optional speaker notes). Slide parts are created in reverse order so only
    /// the presentation's slide list gives the right order.
    /// </summary>
    public static byte[] Write(params TestSlide[] slides)
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentationPart = document.AddPresentationPart();
            var master = presentationPart.AddNewPart<SlideMasterPart>("rIdMaster");
            var layout = master.AddNewPart<SlideLayoutPart>("rIdLayout");
            layout.SlideLayout = new P.SlideLayout(new P.CommonSlideData(EmptyTree())) { Type = P.SlideLayoutValues.Text };
            master.SlideMaster = new P.SlideMaster(
                new P.CommonSlideData(EmptyTree()),
                new P.ColorMap
                {
                    Background1 = A.ColorSchemeIndexValues.Light1, Text1 = A.ColorSchemeIndexValues.Dark1,
                    Background2 = A.ColorSchemeIndexValues.Light2, Text2 = A.ColorSchemeIndexValues.Dark2,
                    Accent1 = A.ColorSchemeIndexValues.Accent1, Accent2 = A.ColorSchemeIndexValues.Accent2,
                    Accent3 = A.ColorSchemeIndexValues.Accent3, Accent4 = A.ColorSchemeIndexValues.Accent4,
                    Accent5 = A.ColorSchemeIndexValues.Accent5, Accent6 = A.ColorSchemeIndexValues.Accent6,
                    Hyperlink = A.ColorSchemeIndexValues.Hyperlink, FollowedHyperlink = A.ColorSchemeIndexValues.FollowedHyperlink,
                },
                new P.SlideLayoutIdList(new P.SlideLayoutId { Id = 2147483649U, RelationshipId = "rIdLayout" }));

            var ids = new P.SlideId[slides.Length];
            for (var i = slides.Length - 1; i >= 0; i--)
            {
                var slidePart = presentationPart.AddNewPart<SlidePart>($"rIdSlide{i + 1}");
                slidePart.AddPart(layout);
                slidePart.Slide = new P.Slide(new P.CommonSlideData(SlideTree(slides[i])), new P.ColorMapOverride(new A.MasterColorMapping()));
                if (slides[i].Notes is { } notes)
                {
                    var notesPart = slidePart.AddNewPart<NotesSlidePart>();
                    notesPart.NotesSlide = new P.NotesSlide(new P.CommonSlideData(new P.ShapeTree(
                        GroupProperties(), new P.GroupShapeProperties(),
                        Shape(2, "Slide Image", P.PlaceholderValues.SlideImage),
                        Shape(3, "Notes", P.PlaceholderValues.Body, notes),
                        Shape(4, "Slide Number", P.PlaceholderValues.SlideNumber, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                }
                ids[i] = new P.SlideId { Id = (uint)(256 + i), RelationshipId = $"rIdSlide{i + 1}" };
            }
            presentationPart.Presentation = new P.Presentation(
                new P.SlideMasterIdList(new P.SlideMasterId { Id = 2147483648U, RelationshipId = "rIdMaster" }),
                new P.SlideIdList(ids),
                new P.SlideSize { Cx = 12192000, Cy = 6858000 },
                new P.NotesSize { Cx = 6858000, Cy = 9144000 });
        }
        return stream.ToArray();
    }

    private static P.ShapeTree SlideTree(TestSlide slide)
    {
        var tree = EmptyTree();
        uint id = 2;
        if (slide.Title is not null) tree.Append(Shape(id++, "Title", P.PlaceholderValues.Title, slide.Title));
        if (slide.Body.Length > 0) tree.Append(Shape(id++, "Content", null, slide.Body));
        if (slide.Table is { } rows) tree.Append(Table(id, rows));
        return tree;
    }

    private static P.ShapeTree EmptyTree() => new(GroupProperties(), new P.GroupShapeProperties());

    private static P.NonVisualGroupShapeProperties GroupProperties() => new(
        new P.NonVisualDrawingProperties { Id = 1U, Name = "" },
        new P.NonVisualGroupShapeDrawingProperties(),
        new P.ApplicationNonVisualDrawingProperties());

    /// <summary>A text shape; <paramref name="placeholder"/> null means a body placeholder without a type attribute.</summary>
    private static P.Shape Shape(uint id, string name, P.PlaceholderValues? placeholder, params string[] paragraphs)
    {
        var application = new P.ApplicationNonVisualDrawingProperties(
            placeholder is { } type ? new P.PlaceholderShape { Type = type } : new P.PlaceholderShape { Index = 1U });
        var body = new P.TextBody(new A.BodyProperties(), new A.ListStyle());
        foreach (var paragraph in paragraphs)
            body.Append(new A.Paragraph(new A.Run(new A.RunProperties { Language = "en-US" }, new A.Text(paragraph))));
        if (paragraphs.Length == 0) body.Append(new A.Paragraph());
        return new P.Shape(
            new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true }),
                application),
            new P.ShapeProperties(),
            body);
    }

    private static P.GraphicFrame Table(uint id, string[][] rows)
    {
        var table = new A.Table(new A.TableProperties { FirstRow = true },
            new A.TableGrid(rows[0].Select(_ => new A.GridColumn { Width = 2000000L })));
        foreach (var row in rows)
        {
            var tableRow = new A.TableRow { Height = 370840L };
            foreach (var cell in row)
                tableRow.Append(new A.TableCell(
                    new A.TextBody(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.Text(cell)))),
                    new A.TableCellProperties()));
            table.Append(tableRow);
        }
        return new P.GraphicFrame(
            new P.NonVisualGraphicFrameProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = "Table" },
                new P.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoGrouping = true }),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 6000000, Cy = 1500000 }),
            new A.Graphic(new A.GraphicData(table) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" }));
    }
}
