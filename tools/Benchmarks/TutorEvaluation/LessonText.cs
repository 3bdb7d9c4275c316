namespace CoursePlatform.Benchmarks.TutorEvaluation;

/// <summary>
/// Material 3 of the tutor evaluation (besides the demo course's own lessons): a lesson's text uploaded as a plain-text
/// file ("How a model learns"), with a "learning rate" passage that near-domain off-topic questions ("the best way to
/// learn the guitar") share words with.
/// </summary>
public static class LessonText
{
    public const string FileName = "how-a-model-learns.txt";

    public const string Text = """
        How a model learns

        A machine learning model is a function with adjustable numbers inside it, called parameters or weights. Training means finding values for those weights that make the model's predictions match the examples we show it.

        To know how wrong the model is, we define a loss function. For predicting a number, such as the price of a flat, the usual choice is the mean squared error: the average of the squared differences between predictions and true values. For classification, such as spam or not spam, we use cross-entropy, which punishes confident wrong answers heavily.

        Gradient descent is the algorithm that adjusts the weights. The gradient tells us, for each weight, in which direction the loss grows fastest; we take a small step in the opposite direction and repeat. Stochastic gradient descent computes that direction on a small random batch of examples instead of the whole data set, which is much cheaper per step and adds a little noise that often helps.

        The learning rate is the size of that step. If the learning rate is too large, the updates overshoot the minimum and the loss jumps around or even grows without limit. If it is too small, training crawls and may stall on a plateau. A common practice is to start with a moderate learning rate and decay it over time, or to use a warm-up in the first steps. The learning rate is usually the first hyperparameter to tune.

        One pass of the training algorithm over the whole training set is called an epoch. Training usually runs for many epochs, and the examples are shuffled between them so the batches differ.

        Overfitting happens when the model memorises the training examples, including their noise, instead of learning the general pattern. The symptom is a training loss that keeps falling while the loss on data the model has not seen starts to rise. Underfitting is the opposite: the model is too simple to capture the pattern, and both losses stay high.

        To detect overfitting we hold back part of the data. The training set is used to fit the weights, the validation set to choose hyperparameters and to decide when to stop, and the test set only once at the very end, to estimate how the model will do on new data. If you tune on the test set, its score is no longer an honest estimate.

        Regularisation fights overfitting. L2 regularisation, also called weight decay, adds the squared size of the weights to the loss so that large weights are discouraged. Dropout randomly switches off a fraction of the neurons during each training step, so the network cannot rely on any single one. Early stopping simply ends training when the validation loss has not improved for a number of epochs.

        Features on very different scales, such as age in years and income in euros, make gradient descent slow, because one weight needs huge steps and another tiny ones. Standardising each feature to mean zero and standard deviation one fixes that. Compute the mean and deviation on the training set only and apply the same numbers to validation and test data, otherwise information leaks from the test set into training.

        Accuracy alone can mislead when classes are imbalanced. If only one transaction in a hundred is fraud, a model that always says not fraud is 99 percent accurate and useless. Precision is the share of flagged cases that really are fraud; recall is the share of real fraud cases that were flagged. Raising the decision threshold usually increases precision and lowers recall.

        A confusion matrix lays out true positives, false positives, true negatives and false negatives in a two by two table, and is the first thing to look at when a classifier behaves oddly.
        """;
}
