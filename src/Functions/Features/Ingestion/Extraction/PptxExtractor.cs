using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

/// <summary>
/// PowerPoint decks: one segment per slide in presentation order (hidden slides included), holding
/// the title, the text of every shape and table in reading order, and the speaker notes.
/// </summary>
public static class PptxExtractor
{
    public static IReadOnlyList<ContentSegment> Extract(Stream content, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);
        CheckArchive(content, limits);
        content.Position = 0;
        try
        {
            using var document = PresentationDocument.Open(content, isEditable: false);
            return ReadSlides(document, limits);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or XmlException or FileFormatException
                                       or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new ContentRejectedException($"The file is not a valid PowerPoint (.pptx) deck: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads every XML part of the zip before the OpenXML SDK loads any of them, counting the bytes it
    /// really inflates (zip headers can lie), so a small file that expands to gigabytes fails here.
    /// </summary>
    private static void CheckArchive(Stream content, ExtractionLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var buffer = new byte[81920];
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) &&
                    !entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)) continue; // media is never read
                using var part = entry.Open();
                int read;
                while ((read = part.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > limits.MaxUncompressedXmlBytes)
                        throw new ContentRejectedException(
                            $"The deck's text parts expand to more than {limits.MaxUncompressedXmlBytes / (1024 * 1024):N0} MB " +
                            "(Ingestion:MaxUncompressedXmlBytes); it is not ingested.");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ContentRejectedException("The file is not a valid PowerPoint (.pptx) deck: it is not a readable zip archive.", ex);
        }
    }

    private static List<ContentSegment> ReadSlides(PresentationDocument document, ExtractionLimits limits)
    {
        var presentation = document.PresentationPart?.Presentation
            ?? throw new ContentRejectedException("The file is not a PowerPoint deck: it has no presentation part.");
        var slideIds = presentation.SlideIdList?.Elements<P.SlideId>().ToList() ?? [];
        if (slideIds.Count > limits.MaxSlides)
            throw new ContentRejectedException($"The deck has {slideIds.Count:N0} slides; the configured limit is {limits.MaxSlides:N0} (Ingestion:MaxSlides).");

        var budget = new CharacterBudget(limits.MaxCharacters);
        var segments = new List<ContentSegment>();
        for (var index = 0; index < slideIds.Count; index++)
        {
            var relationshipId = slideIds[index].RelationshipId?.Value;
            if (relationshipId is null || document.PresentationPart!.GetPartById(relationshipId) is not SlidePart slidePart) continue;

            var (title, lines) = ReadShapes(slidePart.Slide?.CommonSlideData?.ShapeTree);
            var notes = ReadNotes(slidePart.NotesSlidePart);
            if (notes.Length > 0) lines.Add("Notes: " + notes);
            if (lines.Count == 0) continue; // a picture-only slide has no text to search

            var text = string.Join('\n', lines);
            budget.Spend(text.Length);
            segments.Add(new ContentSegment(text, SegmentKind.Slide) { Slide = index + 1, Title = title });
        }
        return segments;
    }

    /// <summary>Title first, then every other shape's paragraphs and every table's rows, in document order.</summary>
    private static (string? Title, List<string> Lines) ReadShapes(P.ShapeTree? tree)
    {
        string? title = null;
        var lines = new List<string>();
        if (tree is null) return (title, lines);
        foreach (var element in tree.Descendants())
        {
            switch (element)
            {
                case P.Shape shape when shape.TextBody is not null:
                    var paragraphs = Paragraphs(shape.TextBody).ToList();
                    if (paragraphs.Count == 0) break;
                    if (title is null && IsTitle(shape))
                    {
                        title = string.Join(' ', paragraphs);
                        lines.Insert(0, title);
                    }
                    else
                    {
                        lines.AddRange(paragraphs);
                    }
                    break;
                case A.Table table:
                    foreach (var row in table.Elements<A.TableRow>())
                    {
                        var cells = row.Elements<A.TableCell>().Select(c => string.Join(' ', Paragraphs(c.TextBody))).ToList();
                        if (cells.Any(c => c.Length > 0)) lines.Add(string.Join(" | ", cells));
                    }
                    break;
            }
        }
        return (title, lines);
    }

    private static string ReadNotes(NotesSlidePart? notesPart)
    {
        var tree = notesPart?.NotesSlide?.CommonSlideData?.ShapeTree;
        if (tree is null) return "";
        // The notes page also holds the slide image, header, date and slide-number placeholders.
        var body = tree.Descendants<P.Shape>()
            .Where(s => s.TextBody is not null && (PlaceholderType(s) is not { } type || type == P.PlaceholderValues.Body))
            .SelectMany(s => Paragraphs(s.TextBody));
        return string.Join(' ', body);
    }

    private static bool IsTitle(P.Shape shape) =>
        PlaceholderType(shape) is { } type && (type == P.PlaceholderValues.Title || type == P.PlaceholderValues.CenteredTitle);

    private static P.PlaceholderValues? PlaceholderType(P.Shape shape)
    {
        var placeholder = shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;
        if (placeholder is null) return null;
        // A placeholder without a type attribute is a body placeholder (ECMA-376 19.3.1.36).
        return placeholder.Type?.Value ?? P.PlaceholderValues.Body;
    }

    private static IEnumerable<string> Paragraphs(OpenXmlElement? textBody)
    {
        if (textBody is null) yield break;
        foreach (var paragraph in textBody.Elements<A.Paragraph>())
        {
            var text = string.Concat(paragraph.Elements().Select(e => e switch
            {
                A.Run run => run.Text?.Text ?? "",
                A.Field field => field.Text?.Text ?? "",
                A.Break => " ",
                _ => "",
            })).Trim();
            if (text.Length > 0) yield return text;
        }
    }
}
