namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// The tutor's picture of "everything else": everyday and general-knowledge questions, a dozen for each of the broad
/// subjects of a general encyclopaedia (home, food, health, sport, travel, nature, money, law, arts, history, language,
/// science, utilities, roads, medicine, family and work), none about computing. An off-topic question that happens to share words or tone with a
/// course ("learn the guitar" against a "learning rate" passage, a car against a lesson's car analogy) is usually
/// closer to one of these than to any passage of the course; an on-topic one is not (<see cref="AiTutorAnswerability"/>).
/// Written for the app, not taken from the tutor evaluation's off-topic questions; change it only with a re-run of
/// <c>tools/Benchmarks tutor-retrieval</c> (the held-out half shows whether a change generalises).
/// </summary>
public static class BackgroundQuestions
{
    public static IReadOnlyList<string> All { get; } =
    [
        // Home and household
        "How do I unblock a kitchen sink?", "How often should I wash my bed sheets?", "How do I paint a wall without streaks?",
        "What is the best way to clean windows?", "How do I fix a dripping tap?", "How can I keep my home warm without high heating costs?",
        "How do I get rid of mould in the bathroom?", "What should I look for when buying a sofa?", "How do I hang a heavy mirror?",
        "How do I move house with little stress?", "How do I choose curtains for a small room?", "How do I descale a kettle?",
        // Food and cooking
        "How long should I boil an egg?", "How do I make fresh pasta at home?", "What spices go into a curry?",
        "How do I keep herbs fresh longer?", "What is the difference between baking soda and baking powder?", "How do I cook rice so it is fluffy?",
        "Which cheese goes with a red wine?", "How do I roast a chicken?", "How can I make a cake without eggs?",
        "What is a healthy breakfast?", "How do I sharpen a kitchen knife?", "How long can cooked food stay in the fridge?",
        // Health and fitness
        "How much water should I drink every day?", "How can I sleep better at night?", "What helps against a sore throat?",
        "How do I start running as a beginner?", "How many steps a day are healthy?", "What are the symptoms of the flu?",
        "How do I stretch before exercise?", "How can I reduce stress?", "Is coffee bad for my heart?",
        "How do I lose weight safely?", "What should be in a first aid kit?", "How do I treat a sprained ankle?",
        // Sport and games
        "How long is a tennis match?", "What are the rules of cricket?", "How do I improve my swimming technique?",
        "Who has won the most Olympic gold medals?", "How is a marathon distance measured?", "How do I choose a road bike?",
        "What is a hat-trick in football?", "How do I get better at poker?", "How many holes are on a golf course?",
        "How do I start rock climbing?", "What are the rules of volleyball?", "How do I solve a Rubik's cube?",
        // Travel and transport
        "What do I need for a visa to travel abroad?", "How early should I arrive at the airport?", "Which documents do I need to rent a car?",
        "What is the cheapest way to travel around Europe by train?", "How do I deal with jet lag?", "What should I pack for a beach holiday?",
        "How do I change a flat tyre on my bicycle?", "When should I replace the brakes on my car?", "How do I check the tyre pressure of my car?",
        "Which city has the oldest underground railway?", "How do I book a cheap hotel?", "Do I need travel insurance?",
        // Nature, animals and gardening
        "Why do leaves change colour in autumn?", "How do I grow roses in my garden?", "What do hedgehogs eat?",
        "How often should I water my houseplants?", "Why do birds migrate south in winter?", "How long do elephants live?",
        "How do I start a compost heap?", "Which vegetables grow well on a balcony?", "How do I train a puppy to walk on a lead?",
        "Why is the sea salty?", "How do whales communicate?", "What is the largest animal on Earth?",
        // Money and shopping
        "How do I save money for a holiday?", "What is a good credit score?", "How do I open a savings account?",
        "Should I buy or rent a house?", "How does a credit card work?", "How do I make a monthly household budget?",
        "What is inheritance tax?", "How do I file my tax return?", "Is it better to pay off debt or save?",
        "How do I get a refund for a faulty product?", "What is a good tip at a restaurant?", "How do shares and bonds differ?",
        // Law, government and society
        "How do I register to vote?", "What does a notary do?", "How do I write a will?",
        "How are members of parliament elected?", "What are my rights as a tenant?", "How do I get a divorce?",
        "What happens at a jury trial?", "How do I apply for citizenship?", "What is the role of the United Nations?",
        "How do I make a complaint about a neighbour's noise?", "What does a mayor do?", "How do I get a parking fine cancelled?",
        // Arts, music and entertainment
        "How do I learn to play the piano?", "Who composed the Four Seasons?", "How do I start painting with watercolours?",
        "What is the best film of all time?", "How do I learn to sing in tune?", "Who wrote One Hundred Years of Solitude?",
        "How do I take better photos with my phone camera?", "What is jazz music?", "How do I learn to dance salsa?",
        "Which museum has the largest art collection?", "How do I write a poem?", "What is the story of Romeo and Juliet?",
        // History and geography
        "Who was the first emperor of Rome?", "When did the First World War start?", "Why did the Roman Empire fall?",
        "What is the longest river in the world?", "Which countries border Switzerland?", "What is the population of Canada?",
        "Who built the pyramids of Egypt?", "What was the Industrial Revolution?", "Which is the largest desert in the world?",
        "What language is spoken in Brazil?", "Who discovered America?", "What is the highest waterfall in the world?",
        // Language and learning
        "How do I learn Spanish quickly?", "What is the difference between affect and effect?", "How do I write a good essay?",
        "How many languages are spoken in India?", "How do I improve my spelling?", "What is the origin of the word salary?",
        "How do I prepare for an exam at school?", "How can I read faster?", "What is the plural of cactus?",
        "How do I help my child with homework?", "What is a haiku?", "How do I memorise a speech?",
        // Science and the universe
        "Why is the sky blue?", "How far is the Moon from the Earth?", "What causes earthquakes?",
        "How does photosynthesis work?", "What is a black hole?", "Why do we have seasons?",
        "What is the speed of sound?", "How do rainbows form?", "What are atoms made of?",
        "How do volcanoes erupt?", "Why does ice float on water?", "How old is the universe?",
        // Phones, energy and utilities
        "How do I switch to a cheaper mobile phone plan?", "How do I read my gas meter?", "How do I switch energy supplier?",
        "Why is my water bill so high this month?", "How long does a smartphone battery last?", "Can I keep my phone number when I change provider?",
        // Roads and traffic rules
        "What does a yellow traffic light mean?", "Who has right of way at a roundabout?", "Is it legal to use a phone while driving?",
        "How do I pay a toll on the motorway?", "What should I do after a minor car accident?", "Do I need winter tyres?",
        // Medicine
        "How do antibiotics work?", "What is a normal blood pressure?", "When should a child get the measles vaccine?",
        "What is the difference between a virus and a bacterium?", "How does the heart pump blood?", "What does a dentist check in a check-up?",
        // Family, relationships and work
        "How do I plan a wedding?", "How do I get my baby to sleep through the night?", "How do I make new friends as an adult?",
        "How do I ask for a pay rise?", "How do I write a cover letter?", "How do I deal with a difficult boss?",
        "What should I wear to a wedding?", "How do I plan a birthday party for a child?", "How do I become a nurse?",
        "How do I apologise to a friend?", "How much annual leave am I entitled to?", "How do I start my own bakery?",
    ];
}
